/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parown's trace events: the life of a port's ownership, for the kernel's
 * tracing tools (tracefs events/parown/, perf, trace-cmd). Documented in
 * Documentation/parown.rst ("Trace events"). Rust emits them through the
 * parown_trace_*() functions of parown_glue.h, defined in parown_trace.c.
 *
 * Every event but remove names the port (parportN's N), the client (a
 * number parown gives each open file and in-kernel handle, never reused
 * while the module is loaded) and the process it happened in (its thread
 * group id; 0 for an in-kernel client's asynchronous grant, which happens
 * in whatever context let the port go).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM parown

#if !defined(PAROWN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define PAROWN_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(parown_client_event,
	TP_PROTO(unsigned int port, u64 client, pid_t pid),
	TP_ARGS(port, client, pid),
	TP_STRUCT__entry(
		__field(unsigned int, port)
		__field(pid_t, pid)
		__field(u64, client)
	),
	TP_fast_assign(
		__entry->port = port;
		__entry->pid = pid;
		__entry->client = client;
	),
	TP_printk("port=%u client=%llu pid=%d", __entry->port,
		  __entry->client, __entry->pid)
);

/* A request to own the port: ALLOCATE, LOCK_PORT or asynchronous. */
DEFINE_EVENT(parown_client_event, allocate,
	TP_PROTO(unsigned int port, u64 client, pid_t pid),
	TP_ARGS(port, client, pid));

/* The owner let the port go: FREE, UNLOCK_PORT, or closing. */
DEFINE_EVENT(parown_client_event, free,
	TP_PROTO(unsigned int port, u64 client, pid_t pid),
	TP_ARGS(port, client, pid));

/* A wait for the port ended; wait_ns is 0 for a port taken at once. */
DECLARE_EVENT_CLASS(parown_wait_event,
	TP_PROTO(unsigned int port, u64 client, pid_t pid, u64 wait_ns),
	TP_ARGS(port, client, pid, wait_ns),
	TP_STRUCT__entry(
		__field(unsigned int, port)
		__field(pid_t, pid)
		__field(u64, client)
		__field(u64, wait_ns)
	),
	TP_fast_assign(
		__entry->port = port;
		__entry->pid = pid;
		__entry->client = client;
		__entry->wait_ns = wait_ns;
	),
	TP_printk("port=%u client=%llu pid=%d wait_ns=%llu", __entry->port,
		  __entry->client, __entry->pid, __entry->wait_ns)
);

DEFINE_EVENT(parown_wait_event, grant,
	TP_PROTO(unsigned int port, u64 client, pid_t pid, u64 wait_ns),
	TP_ARGS(port, client, pid, wait_ns));

DEFINE_EVENT(parown_wait_event, timeout,
	TP_PROTO(unsigned int port, u64 client, pid_t pid, u64 wait_ns),
	TP_ARGS(port, client, pid, wait_ns));

DEFINE_EVENT(parown_wait_event, interrupt,
	TP_PROTO(unsigned int port, u64 client, pid_t pid, u64 wait_ns),
	TP_ARGS(port, client, pid, wait_ns));

DEFINE_EVENT(parown_wait_event, cancel,
	TP_PROTO(unsigned int port, u64 client, pid_t pid, u64 wait_ns),
	TP_ARGS(port, client, pid, wait_ns));

/* A device put on the IEEE 1284.3 bus: its address, -1 for the end of chain. */
TRACE_EVENT(select,
	TP_PROTO(unsigned int port, u64 client, pid_t pid, int device),
	TP_ARGS(port, client, pid, device),
	TP_STRUCT__entry(
		__field(unsigned int, port)
		__field(pid_t, pid)
		__field(u64, client)
		__field(int, device)
	),
	TP_fast_assign(
		__entry->port = port;
		__entry->pid = pid;
		__entry->client = client;
		__entry->device = device;
	),
	TP_printk("port=%u client=%llu pid=%d device=%d", __entry->port,
		  __entry->client, __entry->pid, __entry->device)
);

/* Every daisy-chain device deselected. */
DEFINE_EVENT(parown_client_event, deselect,
	TP_PROTO(unsigned int port, u64 client, pid_t pid),
	TP_ARGS(port, client, pid));

/* The port went away: its waiters fail with ENODEV. */
TRACE_EVENT(remove,
	TP_PROTO(unsigned int port, u32 waiters),
	TP_ARGS(port, waiters),
	TP_STRUCT__entry(
		__field(unsigned int, port)
		__field(u32, waiters)
	),
	TP_fast_assign(
		__entry->port = port;
		__entry->waiters = waiters;
	),
	TP_printk("port=%u waiters=%u", __entry->port, __entry->waiters)
);

#endif /* PAROWN_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE parown_trace
#include <trace/define_trace.h>

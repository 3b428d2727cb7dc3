// SPDX-License-Identifier: GPL-2.0
/*
 * parown's trace events (parown_trace.h), as plain functions that Rust can
 * call: the trace_*() calls are static inlines. Each costs a call and a
 * static branch while its event is off.
 */

#include <linux/sched.h>

#include "parown_glue.h"

#define CREATE_TRACE_POINTS
#include "parown_trace.h"

/* The process an event happens in: see parown_trace.h. */
static pid_t parown_trace_pid(bool in_context)
{
	return in_context ? current->tgid : 0;
}

void parown_trace_allocate(unsigned int port, u64 client)
{
	trace_allocate(port, client, parown_trace_pid(true));
}

void parown_trace_free(unsigned int port, u64 client)
{
	trace_free(port, client, parown_trace_pid(true));
}

void parown_trace_grant(unsigned int port, u64 client, u64 wait_ns, bool in_context)
{
	trace_grant(port, client, parown_trace_pid(in_context), wait_ns);
}

void parown_trace_timeout(unsigned int port, u64 client, u64 wait_ns)
{
	trace_timeout(port, client, parown_trace_pid(true), wait_ns);
}

void parown_trace_interrupt(unsigned int port, u64 client, u64 wait_ns)
{
	trace_interrupt(port, client, parown_trace_pid(true), wait_ns);
}

void parown_trace_cancel(unsigned int port, u64 client, u64 wait_ns)
{
	trace_cancel(port, client, parown_trace_pid(true), wait_ns);
}

void parown_trace_select(unsigned int port, u64 client, int device)
{
	trace_select(port, client, parown_trace_pid(true), device);
}

void parown_trace_deselect(unsigned int port, u64 client)
{
	trace_deselect(port, client, parown_trace_pid(true));
}

void parown_trace_remove(unsigned int port, u32 waiters)
{
	trace_remove(port, waiters);
}

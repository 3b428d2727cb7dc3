/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C side of parown's glue: the few parport core entry points that the
 * Rust kernel crate cannot reach (there is no Rust parport binding, and the
 * driver registration and port-access helpers are macros or inlines).
 *
 * Rust declares these in rust/glue/ffi.rs; keep the two in step. Every
 * policy decision is made in Rust; these functions only forward.
 */
#ifndef PAROWN_GLUE_H
#define PAROWN_GLUE_H

#include <linux/types.h>

struct parport;

/**
 * struct parown_glue_driver - where the parport core's driver callbacks go
 * @ctx: passed back unchanged to @attach and @detach
 * @attach: a port appeared (parport_driver.match_port; process context,
 *	the core's registration_lock held; may be called twice per port)
 * @detach: a port is going away, or the driver is being unregistered
 *	(parport_driver.detach; same context; may name a port never attached)
 */
struct parown_glue_driver {
	const void *ctx;
	void (*attach)(const void *ctx, struct parport *port);
	void (*detach)(const void *ctx, struct parport *port);
};

int parown_glue_register_driver(const struct parown_glue_driver *drv);
void parown_glue_unregister_driver(void);
void parown_glue_free_pardev_pool(void);

void parown_glue_get_port(struct parport *port);
void parown_glue_put_port(struct parport *port);

/**
 * struct parown_glue_port_info - what a struct parport says about itself
 *
 * Copied out under no lock: the fields are set when the port is registered
 * and do not change while it exists.
 */
struct parown_glue_port_info {
	int number;
	int irq;
	int dma;
	unsigned int modes;
	unsigned long base;
	unsigned long base_hi;
};

void parown_glue_port_info(const struct parport *port,
			   struct parown_glue_port_info *info);

/* Who holds and who waits for the port in the parport core, by name. */
bool parown_glue_core_holder(struct parport *port, char *buf, size_t len);
void parown_glue_core_waiting(struct parport *port, char *buf, size_t len);

/*
 * parown's pardevices on one port (opaque to Rust); see parown_glue.c for
 * why they exist while parown has clients and how long the core can reach
 * them.
 */
struct parown_glue_pardev;

/**
 * struct parown_glue_pardev_ops - a pardevice's callbacks
 * @preempt: another device wants the port; return 0 to give it up at
 *	once, non-zero to refuse (the other then waits for our release).
 *	Runs under the port's cad_lock with interrupts off: no sleeping, no
 *	locks, no parport calls.
 * @wakeup: the port was released and we are queued for it (or anyone may
 *	take it). Possibly in interrupt context, under whatever locks the
 *	releaser holds: no sleeping; parown_glue_claim() is allowed.
 * @irq: the port interrupted while parown holds it. Hard interrupt
 *	context, under the port's cad_lock for reading: no sleeping, no
 *	claim or release; the port's lines may be used.
 */
struct parown_glue_pardev_ops {
	int (*preempt)(const void *ctx);
	void (*wakeup)(const void *ctx, struct parown_glue_pardev *pd);
	void (*irq)(const void *ctx, struct parown_glue_pardev *pd);
};

/*
 * Returns the registered pardevices, or ERR_PTR(-EBUSY) when another driver
 * holds the port exclusively, ERR_PTR(-ENOMEM) otherwise. After
 * parown_glue_unregister_device() returns, neither callback runs with @ctx.
 */
struct parown_glue_pardev *
parown_glue_register_device(struct parport *port,
			    const struct parown_glue_pardev_ops *ops,
			    const void *ctx);
void parown_glue_unregister_device(struct parown_glue_pardev *pd);
int parown_glue_claim(struct parown_glue_pardev *pd);
void parown_glue_release(struct parown_glue_pardev *pd);
bool parown_glue_holds_port(struct parown_glue_pardev *pd);
u8 parown_glue_read_status(struct parown_glue_pardev *pd);
void parown_glue_write_data(struct parown_glue_pardev *pd, u8 data);
void parown_glue_write_control(struct parown_glue_pardev *pd, u8 control);
void parown_glue_data_forward(struct parown_glue_pardev *pd);
u8 parown_glue_read_data(struct parown_glue_pardev *pd);
u8 parown_glue_read_control(struct parown_glue_pardev *pd);
u8 parown_glue_frob_control(struct parown_glue_pardev *pd, u8 mask, u8 val);
void parown_glue_data_reverse(struct parown_glue_pardev *pd);
void parown_glue_ieee1284(struct parown_glue_pardev *pd, int *mode,
			  int *phase);
void parown_glue_set_ieee1284(struct parown_glue_pardev *pd, int mode,
			      int phase);
long parown_glue_timeout(struct parown_glue_pardev *pd);
void parown_glue_set_timeout(struct parown_glue_pardev *pd, long timeout);

/**
 * enum parown_glue_port_op - the port driver's ECP and EPP operations
 *
 * The operations of the port's struct parport_operations that
 * parown_glue_port_transfer() runs; rust/glue/pardevice.rs has the same
 * numbers.
 */
enum parown_glue_port_op {
	PAROWN_GLUE_EPP_READ_DATA = 0,
	PAROWN_GLUE_EPP_WRITE_DATA = 1,
	PAROWN_GLUE_EPP_READ_ADDR = 2,
	PAROWN_GLUE_EPP_WRITE_ADDR = 3,
	PAROWN_GLUE_ECP_READ_DATA = 4,
	PAROWN_GLUE_ECP_WRITE_DATA = 5,
	PAROWN_GLUE_ECP_WRITE_ADDR = 6,
};

/*
 * Runs operation @op of the port's driver on @len bytes of @buf (read
 * from for writes, written to for reads) with @flags; the caller holds
 * the port, in process context (the operations may sleep), and no lock.
 * Returns the bytes moved, a negative errno the driver gave
 * (parport_pc's fast EPP transfers: -EIO), or -EOPNOTSUPP if the driver
 * has no such operation or @op is unknown.
 */
ssize_t parown_glue_port_transfer(struct parown_glue_pardev *pd,
				  unsigned int op, void *buf, size_t len,
				  int flags);
/*
 * Whether the port's ecp_read_data would release the port: the core's
 * parport_ieee1284_ecp_read_data() does, on a port with an interrupt.
 */
bool parown_glue_ecp_read_releases(struct parown_glue_pardev *pd);

/* cond_resched(), a macro the Rust kernel crate has no binding for. */
void parown_glue_cond_resched(void);
/* Whether current is a kernel thread that kthread_stop() stops. */
bool parown_glue_kthread_should_stop(void);

/*
 * parown's trace events (parown_trace.h), one function each; the events'
 * fields are described there.
 */
void parown_trace_allocate(unsigned int port, u64 client);
void parown_trace_free(unsigned int port, u64 client);
void parown_trace_grant(unsigned int port, u64 client, u64 wait_ns, bool in_context);
void parown_trace_timeout(unsigned int port, u64 client, u64 wait_ns);
void parown_trace_interrupt(unsigned int port, u64 client, u64 wait_ns);
void parown_trace_cancel(unsigned int port, u64 client, u64 wait_ns);
void parown_trace_select(unsigned int port, u64 client, int device);
void parown_trace_deselect(unsigned int port, u64 client);
void parown_trace_remove(unsigned int port, u32 waiters);

/*
 * The live state's debugfs files (parown_debugfs.c): parown/ and one
 * parportN file per port, whose reads call @show with the port's @ctx.
 */
struct seq_file;
struct dentry;
struct pid;

struct parown_glue_state_ops {
	int (*show)(const void *ctx, struct seq_file *m);
};

void parown_glue_debugfs_init(const struct parown_glue_state_ops *ops);
void parown_glue_debugfs_exit(void);
struct dentry *parown_glue_debugfs_port(unsigned int number, const void *ctx);
void parown_glue_debugfs_remove(struct dentry *file);
void parown_glue_seq_write(struct seq_file *m, const u8 *bytes, size_t len);

/* The process that opens a client, and what the live state shows of it. */
struct pid *parown_glue_current_tgid(void);
void parown_glue_put_pid(struct pid *pid);
int parown_glue_pid_describe(struct pid *pid, char *comm, size_t len);

#endif /* PAROWN_GLUE_H */

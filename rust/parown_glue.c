// SPDX-License-Identifier: GPL-2.0
/*
 * parown glue: plain functions around the parport core's macros and struct
 * fields, for the Rust side of parown. See parown_glue.h.
 */

#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/parport.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <linux/parown.h>

#include "parown_glue.h"

/*
 * The in-kernel API (include/linux/parown.h) is implemented in Rust, in
 * rust/api.rs; its symbols are exported from here.
 */
EXPORT_SYMBOL_GPL(parown_open);
EXPORT_SYMBOL_GPL(parown_close);
EXPORT_SYMBOL_GPL(parown_allocate);
EXPORT_SYMBOL_GPL(parown_try_allocate);
EXPORT_SYMBOL_GPL(parown_free);
EXPORT_SYMBOL_GPL(parown_query_waiters);
EXPORT_SYMBOL_GPL(parown_get_port_info);
EXPORT_SYMBOL_GPL(parown_write);
EXPORT_SYMBOL_GPL(parown_lock_port);
EXPORT_SYMBOL_GPL(parown_unlock_port);
EXPORT_SYMBOL_GPL(parown_lock_port_no_select);
EXPORT_SYMBOL_GPL(parown_unlock_port_no_deselect);
EXPORT_SYMBOL_GPL(parown_select_device);
EXPORT_SYMBOL_GPL(parown_deselect_device);
EXPORT_SYMBOL_GPL(parown_init_1284_3_bus);
EXPORT_SYMBOL_GPL(parown_open_ops);
EXPORT_SYMBOL_GPL(parown_cancel);
EXPORT_SYMBOL_GPL(parown_allocate_async);
EXPORT_SYMBOL_GPL(parown_read_status);
EXPORT_SYMBOL_GPL(parown_read_data);
EXPORT_SYMBOL_GPL(parown_write_data);
EXPORT_SYMBOL_GPL(parown_read_control);
EXPORT_SYMBOL_GPL(parown_write_control);
EXPORT_SYMBOL_GPL(parown_frob_control);
EXPORT_SYMBOL_GPL(parown_data_dir);
EXPORT_SYMBOL_GPL(parown_set_mode);
EXPORT_SYMBOL_GPL(parown_get_mode);
EXPORT_SYMBOL_GPL(parown_read);
EXPORT_SYMBOL_GPL(parown_negotiate);
EXPORT_SYMBOL_GPL(parown_get_device_id);

/* Set before the driver is registered, cleared after it is unregistered. */
static const struct parown_glue_driver *glue_driver;

static void parown_match_port(struct parport *port)
{
	glue_driver->attach(glue_driver->ctx, port);
}

static void parown_detach(struct parport *port)
{
	glue_driver->detach(glue_driver->ctx, port);
}

/*
 * No .probe: the core then binds pardevices whose name equals the driver
 * name, which is how parown names its own.
 */
static struct parport_driver parown_parport_driver = {
	.name = "parown",
	.match_port = parown_match_port,
	.detach = parown_detach,
};

int parown_glue_register_driver(const struct parown_glue_driver *drv)
{
	int ret;

	glue_driver = drv;
	ret = parport_register_driver(&parown_parport_driver);
	if (ret)
		glue_driver = NULL;
	return ret;
}

void parown_glue_unregister_driver(void)
{
	/* Calls detach for every port, then no callback runs any more. */
	parport_unregister_driver(&parown_parport_driver);
	glue_driver = NULL;
}

void parown_glue_get_port(struct parport *port)
{
	parport_get_port(port);
}

void parown_glue_put_port(struct parport *port)
{
	parport_put_port(port);
}

void parown_glue_port_info(const struct parport *port,
			   struct parown_glue_port_info *info)
{
	info->number = port->number;
	info->irq = port->irq;
	info->dma = port->dma;
	info->modes = port->modes;
	info->base = port->base;
	info->base_hi = port->base_hi;
}

/*
 * The name of the pardevice the core gave the port to, into @buf (@len
 * bytes, NUL-terminated); false if none holds it. Under cad_lock, which a
 * release takes for writing, so the holder cannot go meanwhile.
 */
bool parown_glue_core_holder(struct parport *port, char *buf, size_t len)
{
	struct parport *phys = port->physport;
	unsigned long flags;
	bool held;

	read_lock_irqsave(&phys->cad_lock, flags);
	held = phys->cad;
	if (held)
		strscpy(buf, phys->cad->name, len);
	read_unlock_irqrestore(&phys->cad_lock, flags);
	return held;
}

/*
 * The names of the pardevices waiting for the port in the core (its wait
 * list, in order), space-separated, into @buf (@len bytes, NUL-terminated,
 * cut to fit). Under waitlist_lock, which a device leaves the list under
 * before it is unregistered.
 */
void parown_glue_core_waiting(struct parport *port, char *buf, size_t len)
{
	struct parport *phys = port->physport;
	struct pardevice *dev;
	unsigned long flags;
	size_t used = 0;

	if (!len)
		return;
	buf[0] = 0;
	spin_lock_irqsave(&phys->waitlist_lock, flags);
	for (dev = phys->waithead; dev && used + 1 < len; dev = dev->waitnext) {
		ssize_t n = strscpy(buf + used, used ? " " : "", len - used);

		if (n < 0)
			break;
		used += n;
		n = strscpy(buf + used, dev->name, len - used);
		if (n < 0)
			break;
		used += n;
	}
	spin_unlock_irqrestore(&phys->waitlist_lock, flags);
}

/*
 * parown's presence on a port: two pardevices, registered while parown has
 * clients on the port (from the first open to the last close, as ppdev
 * registers from its first PPCLAIM to close). Like every parport driver,
 * parown then pins the port's low-level driver (parport_pc) only while it
 * uses the port, and an exclusive driver (ppdev's PPEXCL) can have a port
 * that parown's clients do not use.
 *
 * @claimer claims and releases the port. It has a preempt callback but no
 * wakeup, so a failed parport_claim() never puts it on the port's wait
 * list. That matters: parport_claim() of a device on the wait list takes
 * it off with spin_lock_irq()/spin_unlock_irq() while holding cad_lock for
 * writing, turning interrupts back on inside the write-locked section; an
 * interrupt from the port then makes parport_irq_handler() spin on
 * read_lock(&cad_lock) on that CPU for ever, and lockdep reports the
 * inconsistent lock state.
 *
 * @notifier only receives wakeups: parport_release() calls the wakeup of
 * every device that has one when nobody on the wait list took the port.
 * Its wakeup claims with @claimer if parown wants the port.
 *
 * Lifetime. The core reaches this structure through the pardevices'
 * private pointer, and parport_release() walks the port's device list
 * without a lock: a release on another CPU may have read @notifier's
 * callback and private pointer just before parown unregistered it, and
 * call parown_wakeup() afterwards. So this structure is never freed while
 * parown's parport driver is registered: unregistering closes the gate
 * (@open, under @lock, which parown_wakeup() takes) and returns the
 * structure to a pool, from which the next registration takes it. A late
 * wakeup finds the gate closed, or open for the registration now using
 * the structure, to which it is a spurious wakeup: harmless, because the
 * wakeup only claims a port parown is waiting for. The pool is freed after
 * the driver is unregistered, when every port has been detached and so
 * every pardevice unregistered. (The pardevice itself, which the walk also
 * reads, is the core's: every driver that unregisters while others release
 * shares that window.)
 *
 * @ops and @ctx stay set until both pardevices are unregistered, so that
 * preempt, which the core calls under cad_lock while @claimer holds the
 * port, may run during unregistration. It must not take @lock: the wakeup
 * claims under @lock, and parport_claim() takes cad_lock.
 */
struct parown_glue_pardev {
	struct pardevice *claimer;
	struct pardevice *notifier;
	const struct parown_glue_pardev_ops *ops;
	const void *ctx;
	spinlock_t lock;
	bool open;
	bool in_use;
	struct list_head pool;
};

static LIST_HEAD(pardev_pool);
static DEFINE_MUTEX(pardev_pool_lock);

static int parown_preempt(void *handle)
{
	struct parown_glue_pardev *pd = handle;

	return pd->ops->preempt(pd->ctx);
}

/*
 * The port's interrupt, while @claimer holds the port: the core calls this
 * from parport_irq_handler() under read_lock(&cad_lock), in hard interrupt
 * context. Like preempt, it runs with @ops and @ctx set.
 */
static void parown_irq(void *handle)
{
	struct parown_glue_pardev *pd = handle;

	pd->ops->irq(pd->ctx, pd);
}

static void parown_wakeup(void *handle)
{
	struct parown_glue_pardev *pd = handle;
	unsigned long flags;

	spin_lock_irqsave(&pd->lock, flags);
	if (pd->open)
		pd->ops->wakeup(pd->ctx, pd);
	spin_unlock_irqrestore(&pd->lock, flags);
}

/* A structure from the pool, or a new one; NULL when out of memory. */
static struct parown_glue_pardev *pardev_get(void)
{
	struct parown_glue_pardev *pd;

	mutex_lock(&pardev_pool_lock);
	list_for_each_entry(pd, &pardev_pool, pool) {
		if (!pd->in_use)
			goto found;
	}
	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		goto out;
	spin_lock_init(&pd->lock);
	list_add(&pd->pool, &pardev_pool);
found:
	pd->in_use = true;
out:
	mutex_unlock(&pardev_pool_lock);
	return pd;
}

static void pardev_put(struct parown_glue_pardev *pd)
{
	mutex_lock(&pardev_pool_lock);
	pd->claimer = NULL;
	pd->notifier = NULL;
	pd->ops = NULL;
	pd->ctx = NULL;
	pd->in_use = false;
	mutex_unlock(&pardev_pool_lock);
}

/*
 * After parown_glue_unregister_driver(), and after parown removed any port
 * the core failed to detach: no pardevice of parown's is left.
 */
void parown_glue_free_pardev_pool(void)
{
	struct parown_glue_pardev *pd, *next;

	mutex_lock(&pardev_pool_lock);
	list_for_each_entry_safe(pd, next, &pardev_pool, pool) {
		/* Still registered: a bug; leaking beats a use after free. */
		if (WARN_ON(pd->in_use))
			continue;
		list_del(&pd->pool);
		kfree(pd);
	}
	mutex_unlock(&pardev_pool_lock);
}

/*
 * parport_register_dev_model() does not say why it failed: a driver
 * holding the port exclusively (ppdev's PPEXCL) is the one reason that is
 * not a lack of memory.
 */
static struct pardevice *parown_register(struct parport *port,
					 const struct pardev_cb *cb, int id,
					 int *err)
{
	/* Named like the driver, so that the core binds them to parown. */
	struct pardevice *dev = parport_register_dev_model(port, "parown", cb, id);

	if (!dev)
		*err = port->physport->flags & PARPORT_FLAG_EXCL ? -EBUSY : -ENOMEM;
	return dev;
}

struct parown_glue_pardev *
parown_glue_register_device(struct parport *port,
			    const struct parown_glue_pardev_ops *ops,
			    const void *ctx)
{
	/*
	 * With an irq_func, the core's initial state of @claimer enables the
	 * port's interrupt (ackIntEn) on ports that have one, as for ppdev.
	 */
	struct pardev_cb claimer_cb = { .preempt = parown_preempt,
					.irq_func = parown_irq };
	struct pardev_cb notifier_cb = { .wakeup = parown_wakeup };
	struct parown_glue_pardev *pd;
	int err = -ENOMEM;

	pd = pardev_get();
	if (!pd)
		return ERR_PTR(-ENOMEM);
	pd->ops = ops;
	pd->ctx = ctx;
	claimer_cb.private = pd;
	notifier_cb.private = pd;
	/*
	 * Device names must be unique on the bus, and port numbers have no
	 * upper bound: even ids for claimers, odd ones for notifiers.
	 */
	pd->claimer = parown_register(port, &claimer_cb, 2 * port->number, &err);
	if (!pd->claimer)
		goto fail;
	pd->notifier = parown_register(port, &notifier_cb,
				       2 * port->number + 1, &err);
	if (!pd->notifier)
		goto fail_notifier;

	spin_lock_irq(&pd->lock);
	pd->open = true;
	spin_unlock_irq(&pd->lock);
	return pd;

fail_notifier:
	parport_unregister_device(pd->claimer);
fail:
	pardev_put(pd);
	return ERR_PTR(err);
}

/*
 * port->cad, read without cad_lock, can be stale: when parown's preempt has
 * just given the port up, the claim of the driver that asked still runs
 * under cad_lock and has not stored itself in port->cad. parport_claim()
 * begins with such a read (a device that is port->cad already is told
 * "already owner" and returns 0), and so does the unregistration below.
 * Taking and dropping the read side of cad_lock lets that claim finish
 * first. A claim that starts later cannot do the same: preempt gives
 * nothing up while parown's claim is CLAIMING, or unregistering.
 */
static void wait_for_claim_in_progress(struct parport *port)
{
	unsigned long flags;

	read_lock_irqsave(&port->cad_lock, flags);
	read_unlock_irqrestore(&port->cad_lock, flags);
}

void parown_glue_unregister_device(struct parown_glue_pardev *pd)
{
	spin_lock_irq(&pd->lock);
	pd->open = false;
	spin_unlock_irq(&pd->lock);

	/*
	 * Claimed by a wakeup that raced with parown letting go of the port:
	 * give it back. (parown gave up a lazy hold before calling us, and its
	 * preempt refuses from then on, so once a claim it gave the port to
	 * has finished, the port cannot change hands under this check.)
	 */
	wait_for_claim_in_progress(pd->claimer->port->physport);
	if (pd->claimer->port->physport->cad == pd->claimer)
		parown_glue_release(pd);

	parport_unregister_device(pd->notifier);
	parport_unregister_device(pd->claimer);
	pardev_put(pd);
}

int parown_glue_claim(struct parown_glue_pardev *pd)
{
	wait_for_claim_in_progress(pd->claimer->port->physport);
	return parport_claim(pd->claimer);
}

/*
 * parport_release() claims the port on behalf of the longest waiter
 * sleeping in parport_claim_or_block() (lp, ppdev), which takes the
 * interrupts-on path described above, in our context. Masking the port's
 * interrupt line meanwhile keeps its handler off this CPU; a pending edge
 * is replayed by enable_irq().
 */
void parown_glue_release(struct parown_glue_pardev *pd)
{
	int irq = pd->claimer->port->physport->irq;

	if (irq != PARPORT_IRQ_NONE)
		disable_irq_nosync(irq);
	parport_release(pd->claimer);
	if (irq != PARPORT_IRQ_NONE)
		enable_irq(irq);
}

/*
 * Whether @claimer is the port's current device. Without cad_lock: the
 * answer is stable only while nothing can take the port from @claimer or
 * give it to it, which the caller knows (see HwClaim::is_held()).
 */
bool parown_glue_holds_port(struct parown_glue_pardev *pd)
{
	return READ_ONCE(pd->claimer->port->physport->cad) == pd->claimer;
}

/*
 * Port access; the caller holds the port. Through the core's accessor
 * macros, as the core's own IEEE 1284 code, lp and ppdev do: calls through
 * port->ops, except on a kernel whose only port driver is a built-in
 * parport_pc, where they are its inline register accesses.
 */
u8 parown_glue_read_status(struct parown_glue_pardev *pd)
{
	struct parport *port = pd->claimer->port;

	return parport_read_status(port);
}

void parown_glue_write_data(struct parown_glue_pardev *pd, u8 data)
{
	struct parport *port = pd->claimer->port;

	parport_write_data(port, data);
}

void parown_glue_write_control(struct parown_glue_pardev *pd, u8 control)
{
	struct parport *port = pd->claimer->port;

	parport_write_control(port, control);
}

void parown_glue_data_forward(struct parown_glue_pardev *pd)
{
	struct parport *port = pd->claimer->port;

	parport_data_forward(port);
}

u8 parown_glue_read_data(struct parown_glue_pardev *pd)
{
	struct parport *port = pd->claimer->port;

	return parport_read_data(port);
}

u8 parown_glue_read_control(struct parown_glue_pardev *pd)
{
	struct parport *port = pd->claimer->port;

	return parport_read_control(port);
}

u8 parown_glue_frob_control(struct parown_glue_pardev *pd, u8 mask, u8 val)
{
	struct parport *port = pd->claimer->port;

	return parport_frob_control(port, mask, val);
}

void parown_glue_data_reverse(struct parown_glue_pardev *pd)
{
	struct parport *port = pd->claimer->port;

	parport_data_reverse(port);
}

/*
 * The IEEE 1284 state of the port (port->ieee1284), which the core's
 * transfer functions read and update, and @claimer's inactivity timeout,
 * which they wait for at most (port->cad->timeout). parown installs its
 * owner's while @claimer holds the port.
 */
void parown_glue_ieee1284(struct parown_glue_pardev *pd, int *mode,
			  int *phase)
{
	*mode = pd->claimer->port->ieee1284.mode;
	*phase = pd->claimer->port->ieee1284.phase;
}

void parown_glue_set_ieee1284(struct parown_glue_pardev *pd, int mode,
			      int phase)
{
	pd->claimer->port->ieee1284.mode = mode;
	pd->claimer->port->ieee1284.phase = phase;
}

long parown_glue_timeout(struct parown_glue_pardev *pd)
{
	return pd->claimer->timeout;
}

/*
 * Not parport_set_timeout(), which also ups the port's IEEE 1284 interrupt
 * semaphore for a transfer in progress to see the change: parown changes
 * the timeout only while no transfer runs, and a spurious up would end a
 * later interrupt wait early.
 */
void parown_glue_set_timeout(struct parown_glue_pardev *pd, long timeout)
{
	pd->claimer->timeout = timeout;
}

/*
 * The port driver's ECP and EPP transfers (parport_pc's register-level
 * ones, or the core's software versions it installs when the hardware is
 * missing). None of them releases or yields the port, except the core's
 * parport_ieee1284_ecp_read_data() on a port with an interrupt (see
 * parown_glue_ecp_read_releases(); parown does not call it then). The
 * core's ones sleep in parport_wait_peripheral() and stop early on a
 * signal; parport_pc's EPP ones only spin on the port's registers.
 */
ssize_t parown_glue_port_transfer(struct parown_glue_pardev *pd,
				  unsigned int op, void *buf, size_t len,
				  int flags)
{
	struct parport *port = pd->claimer->port;
	const struct parport_operations *ops = port->ops;
	size_t (*rd)(struct parport *port, void *buf, size_t len,
		     int flags) = NULL;
	size_t (*wr)(struct parport *port, const void *buf, size_t len,
		     int flags) = NULL;

	switch (op) {
	case PAROWN_GLUE_EPP_READ_DATA:
		rd = ops->epp_read_data;
		break;
	case PAROWN_GLUE_EPP_WRITE_DATA:
		wr = ops->epp_write_data;
		break;
	case PAROWN_GLUE_EPP_READ_ADDR:
		rd = ops->epp_read_addr;
		break;
	case PAROWN_GLUE_EPP_WRITE_ADDR:
		wr = ops->epp_write_addr;
		break;
	case PAROWN_GLUE_ECP_READ_DATA:
		rd = ops->ecp_read_data;
		break;
	case PAROWN_GLUE_ECP_WRITE_DATA:
		wr = ops->ecp_write_data;
		break;
	case PAROWN_GLUE_ECP_WRITE_ADDR:
		wr = ops->ecp_write_addr;
		break;
	}
	/* The drivers return size_t, and (size_t)-EIO for a failure. */
	if (rd)
		return (ssize_t)rd(port, buf, len, flags);
	if (wr)
		return (ssize_t)wr(port, buf, len, flags);
	return -EOPNOTSUPP;
}

bool parown_glue_ecp_read_releases(struct parown_glue_pardev *pd)
{
	struct parport *port = pd->claimer->port;

	/* The function tests dev->port->irq, dev being @claimer. */
	return port->ops->ecp_read_data == parport_ieee1284_ecp_read_data &&
	       port->irq != PARPORT_IRQ_NONE;
}

/* The caller is in process context and holds no lock. */
void parown_glue_cond_resched(void)
{
	cond_resched();
}

/* kthread_should_stop() may only be asked of a kernel thread. */
bool parown_glue_kthread_should_stop(void)
{
	return (current->flags & PF_KTHREAD) && kthread_should_stop();
}

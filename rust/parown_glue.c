// SPDX-License-Identifier: GPL-2.0
/*
 * parown glue: plain functions around the parport core's macros and struct
 * fields, for the Rust side of parown. See parown_glue.h.
 */

#include <linux/interrupt.h>
#include <linux/module.h>
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
 * parown's presence on a port: two pardevices.
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
 * @lock and @dead keep wakeups out of Rust once unregistration has begun,
 * and let unregistration wait for a wakeup already running. They narrow,
 * but cannot close, a window the core leaves open: parport_release()
 * walks the device list without locks, so a release on another CPU that
 * has already read @notifier's callback and private pointer may still
 * call parown_wakeup() after the kfree() below. Every parport driver that
 * unregisters while others release shares it (parport_unregister_device()
 * frees the pardevice the walk reads); it needs a fix in the core. The
 * preempt callback needs no such guard: it only runs while @claimer owns
 * the port, under cad_lock, which unregistration takes to release it.
 */
struct parown_glue_pardev {
	struct pardevice *claimer;
	struct pardevice *notifier;
	const struct parown_glue_pardev_ops *ops;
	const void *ctx;
	spinlock_t lock;
	bool dead;
};

static int parown_preempt(void *handle)
{
	struct parown_glue_pardev *pd = handle;

	return pd->ops->preempt(pd->ctx);
}

static void parown_wakeup(void *handle)
{
	struct parown_glue_pardev *pd = handle;
	unsigned long flags;

	spin_lock_irqsave(&pd->lock, flags);
	if (!pd->dead)
		pd->ops->wakeup(pd->ctx, pd);
	spin_unlock_irqrestore(&pd->lock, flags);
}

/*
 * Registering a pardevice pins the low-level driver (parport_pc) with a
 * module reference for as long as the pardevice exists. parown keeps its
 * pardevices for the port's whole life, and its clients must learn that a
 * port went away rather than keep parport_pc from being unloaded, so it
 * gives those references back at once and takes them again just before
 * unregistering. That is safe because parown touches the port only between
 * attach and detach: the core calls detach before it swaps in dead_ops and
 * the low-level driver frees anything, and parown's detach waits for its
 * I/O and releases the port. After removal ops->owner is NULL and both
 * module calls do nothing, which keeps the count balanced.
 */
static struct pardevice *parown_register(struct parport *port,
					 const struct pardev_cb *cb, int id)
{
	/* Named like the driver, so that the core binds them to parown. */
	struct pardevice *dev = parport_register_dev_model(port, "parown", cb, id);

	if (dev)
		module_put(port->ops->owner);
	return dev;
}

static void parown_unregister(struct pardevice *dev)
{
	__module_get(dev->port->ops->owner);
	parport_unregister_device(dev);
}

struct parown_glue_pardev *
parown_glue_register_device(struct parport *port,
			    const struct parown_glue_pardev_ops *ops,
			    const void *ctx)
{
	struct pardev_cb claimer_cb = { .preempt = parown_preempt };
	struct pardev_cb notifier_cb = { .wakeup = parown_wakeup };
	struct parown_glue_pardev *pd;

	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return NULL;
	spin_lock_init(&pd->lock);
	pd->ops = ops;
	pd->ctx = ctx;
	claimer_cb.private = pd;
	notifier_cb.private = pd;
	/* Device names must be unique on the bus: ids N and N + PARPORT_MAX. */
	pd->claimer = parown_register(port, &claimer_cb, port->number);
	if (!pd->claimer)
		goto fail;
	pd->notifier = parown_register(port, &notifier_cb,
				       port->number + PARPORT_MAX);
	if (!pd->notifier)
		goto fail_notifier;
	return pd;

fail_notifier:
	parown_unregister(pd->claimer);
fail:
	kfree(pd);
	return NULL;
}

void parown_glue_unregister_device(struct parown_glue_pardev *pd)
{
	unsigned long flags;

	spin_lock_irqsave(&pd->lock, flags);
	pd->dead = true;
	spin_unlock_irqrestore(&pd->lock, flags);

	/*
	 * Claimed by a wakeup that raced with parown's removal of the port:
	 * give it back. (parown gave up a lazy hold before calling us, so
	 * preempt cannot release the port under this check.)
	 */
	if (pd->claimer->port->physport->cad == pd->claimer)
		parown_glue_release(pd);

	parown_unregister(pd->notifier);
	parown_unregister(pd->claimer);
	kfree(pd);
}

int parown_glue_claim(struct parown_glue_pardev *pd)
{
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

/* Port access through the low-level driver; the caller holds the port. */
u8 parown_glue_read_status(struct parown_glue_pardev *pd)
{
	struct parport *port = pd->claimer->port;

	return port->ops->read_status(port);
}

void parown_glue_write_data(struct parown_glue_pardev *pd, u8 data)
{
	struct parport *port = pd->claimer->port;

	port->ops->write_data(port, data);
}

void parown_glue_write_control(struct parown_glue_pardev *pd, u8 control)
{
	struct parport *port = pd->claimer->port;

	port->ops->write_control(port, control);
}

void parown_glue_data_forward(struct parown_glue_pardev *pd)
{
	struct parport *port = pd->claimer->port;

	port->ops->data_forward(port);
}

/* The caller is in process context and holds no lock. */
void parown_glue_cond_resched(void)
{
	cond_resched();
}

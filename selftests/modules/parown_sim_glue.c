// SPDX-License-Identifier: GPL-2.0
/*
 * parown_sim's C side: a software parallel port, registered with the
 * parport core, whose lines are the Rust chain model of
 * parown_sim_main.rs; and its debugfs files. Test-only. The port is
 * bidirectional (PARPORT_MODE_TRISTATE): its devices send their IEEE 1284
 * Device IDs in nibble and byte mode (see selftests/sim/chain.rs).
 *
 * The port's operations run wherever the core calls them, including under
 * cad_lock with interrupts off (daisy selects in parport_claim()), so the
 * Rust side only takes an irq-safe spinlock.
 *
 * debugfs, in /sys/kernel/debug/parown_sim/:
 *   dev0 .. dev3, eoc   every byte each device received, in order
 *   devices             write 0-4: plug in a new chain (needs enumerating)
 *   mute                write an address: that device stops answering
 *                       selects; write -1: all answer
 *   busy                write 1: the peripherals report busy; 0: ready
 *   forget              write anything: empty the records
 *   unplug              write anything: the port goes away, as hot-unplugged
 *                       hardware does, while the module stays loaded (and
 *                       pinned by the drivers still using the port)
 *
 * With hw_modes (a module parameter: 1 EPP, 2 ECP, 3 both) the port also
 * claims EPP and/or ECP hardware (PARPORT_MODE_EPP, PARPORT_MODE_ECP), and
 * its epp_* and ecp_* operations record each call instead of driving the
 * chain:
 *   hw_log              one line per call: "OP FLAGS LEN[ BYTE...]", OP
 *                       one of epp-wd, epp-wa, epp-rd, epp-ra, ecp-wd,
 *                       ecp-wa, ecp-rd; FLAGS the call's flags (decimal);
 *                       LEN the bytes asked for; the bytes written in hex
 *                       (writes only). Reads return their pattern: EPP
 *                       data "abc...z" and addresses "ABC...Z" (repeated),
 *                       ECP data "0123456789" (repeated), from the start
 *                       at each call.
 *   hw_limit            write N: each call moves at most N bytes (a
 *                       peripheral that stops); -1 (the default): all
 *   forget              also empties hw_log
 */
#include <linux/debugfs.h>
#include <linux/device/faux.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/parport.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

/* In parown_sim_main.rs; @ctx is the simulator. */
u8 parown_sim_read_data(const void *ctx);
void parown_sim_write_data(const void *ctx, u8 data);
u8 parown_sim_read_control(const void *ctx);
void parown_sim_write_control(const void *ctx, u8 control);
void parown_sim_set_reverse(const void *ctx, int reverse);
u8 parown_sim_read_status(const void *ctx);
size_t parown_sim_received(const void *ctx, unsigned int target, u8 *buf,
			   size_t len);
void parown_sim_set_devices(const void *ctx, unsigned int devices);
void parown_sim_set_muted(const void *ctx, int addr);
void parown_sim_set_busy(const void *ctx, int busy);
void parown_sim_forget(const void *ctx);

int parown_sim_register(const void *ctx, unsigned int hw_modes);
void parown_sim_unregister(void);

static struct faux_device *sim_fdev;
static struct parport *sim_port;
static struct dentry *sim_dir;
/* Set once the port was removed through "unplug". */
static bool sim_unplugged;

static const void *sim(struct parport *p)
{
	return p->physport->private_data;
}

static void sim_write_data(struct parport *p, unsigned char d)
{
	parown_sim_write_data(sim(p), d);
}

static unsigned char sim_read_data(struct parport *p)
{
	return parown_sim_read_data(sim(p));
}

static void sim_write_control(struct parport *p, unsigned char c)
{
	parown_sim_write_control(sim(p), c);
}

static unsigned char sim_read_control(struct parport *p)
{
	return parown_sim_read_control(sim(p));
}

static unsigned char sim_frob_control(struct parport *p, unsigned char mask,
				      unsigned char val)
{
	unsigned char c = (parown_sim_read_control(sim(p)) & ~mask) ^ val;

	parown_sim_write_control(sim(p), c);
	return c;
}

static unsigned char sim_read_status(struct parport *p)
{
	return parown_sim_read_status(sim(p));
}

static void sim_nothing(struct parport *p)
{
}

static void sim_data_forward(struct parport *p)
{
	parown_sim_set_reverse(sim(p), 0);
}

static void sim_data_reverse(struct parport *p)
{
	parown_sim_set_reverse(sim(p), 1);
}

static void sim_init_state(struct pardevice *dev, struct parport_state *s)
{
	s->u.pc.ctr = PARPORT_CONTROL_SELECT | PARPORT_CONTROL_INIT;
	s->u.pc.ecr = 0;
}

static void sim_save_state(struct parport *p, struct parport_state *s)
{
	s->u.pc.ctr = parown_sim_read_control(sim(p));
}

static void sim_restore_state(struct parport *p, struct parport_state *s)
{
	parown_sim_write_control(sim(p), s->u.pc.ctr);
}

/* hw_modes: the port's EPP and ECP hardware, whose calls are recorded. */
#define SIM_HW_EPP 1
#define SIM_HW_ECP 2

/* The calls of the recording operations, and how much each may move. */
static DEFINE_SPINLOCK(sim_hw_lock);
#define SIM_HW_LOG_SIZE 16384
static char sim_hw_log[SIM_HW_LOG_SIZE];
static size_t sim_hw_len;
static int sim_hw_limit = -1;

/* Records one call; returns the bytes it moves (hw_limit). */
static size_t sim_hw_call(const char *op, int flags, const void *wrote,
			  size_t len)
{
	const u8 *bytes = wrote;
	unsigned long irqflags;
	size_t i;

	spin_lock_irqsave(&sim_hw_lock, irqflags);
	sim_hw_len += scnprintf(sim_hw_log + sim_hw_len,
				sizeof(sim_hw_log) - sim_hw_len, "%s %d %zu",
				op, flags, len);
	for (i = 0; bytes && i < len; i++)
		sim_hw_len += scnprintf(sim_hw_log + sim_hw_len,
					sizeof(sim_hw_log) - sim_hw_len,
					" %02x", bytes[i]);
	sim_hw_len += scnprintf(sim_hw_log + sim_hw_len,
				sizeof(sim_hw_log) - sim_hw_len, "\n");
	if (sim_hw_limit >= 0)
		len = min_t(size_t, len, sim_hw_limit);
	spin_unlock_irqrestore(&sim_hw_lock, irqflags);
	return len;
}

/* A read's bytes: @len of @pattern, from its start. */
static size_t sim_hw_read(const char *op, int flags, void *buf, size_t len,
			  const char *pattern)
{
	size_t n = sim_hw_call(op, flags, NULL, len);
	size_t plen = strlen(pattern);
	u8 *out = buf;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = pattern[i % plen];
	return n;
}

static size_t sim_epp_write_data(struct parport *p, const void *buf,
				 size_t len, int flags)
{
	return sim_hw_call("epp-wd", flags, buf, len);
}

static size_t sim_epp_write_addr(struct parport *p, const void *buf,
				 size_t len, int flags)
{
	return sim_hw_call("epp-wa", flags, buf, len);
}

static size_t sim_epp_read_data(struct parport *p, void *buf, size_t len,
				int flags)
{
	return sim_hw_read("epp-rd", flags, buf, len,
			   "abcdefghijklmnopqrstuvwxyz");
}

static size_t sim_epp_read_addr(struct parport *p, void *buf, size_t len,
				int flags)
{
	return sim_hw_read("epp-ra", flags, buf, len,
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

static size_t sim_ecp_write_data(struct parport *p, const void *buf,
				 size_t len, int flags)
{
	return sim_hw_call("ecp-wd", flags, buf, len);
}

static size_t sim_ecp_write_addr(struct parport *p, const void *buf,
				 size_t len, int flags)
{
	return sim_hw_call("ecp-wa", flags, buf, len);
}

static size_t sim_ecp_read_data(struct parport *p, void *buf, size_t len,
				int flags)
{
	return sim_hw_read("ecp-rd", flags, buf, len, "0123456789");
}

static ssize_t sim_read_hw_log(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	ssize_t ret;
	size_t len;
	char *buf;

	buf = kvmalloc(SIM_HW_LOG_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	spin_lock_irq(&sim_hw_lock);
	len = sim_hw_len;
	memcpy(buf, sim_hw_log, len);
	spin_unlock_irq(&sim_hw_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, len);
	kvfree(buf);
	return ret;
}

static const struct file_operations sim_hw_log_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_read_hw_log,
	.llseek = default_llseek,
};

/* Not const: with hw_modes, the recording operations replace the core's. */
static struct parport_operations sim_ops = {
	.write_data = sim_write_data,
	.read_data = sim_read_data,
	.write_control = sim_write_control,
	.read_control = sim_read_control,
	.frob_control = sim_frob_control,
	.read_status = sim_read_status,
	.enable_irq = sim_nothing,
	.disable_irq = sim_nothing,
	.data_forward = sim_data_forward,
	.data_reverse = sim_data_reverse,
	.init_state = sim_init_state,
	.save_state = sim_save_state,
	.restore_state = sim_restore_state,
	.epp_write_data = parport_ieee1284_epp_write_data,
	.epp_read_data = parport_ieee1284_epp_read_data,
	.epp_write_addr = parport_ieee1284_epp_write_addr,
	.epp_read_addr = parport_ieee1284_epp_read_addr,
	.ecp_write_data = parport_ieee1284_ecp_write_data,
	.ecp_read_data = parport_ieee1284_ecp_read_data,
	.ecp_write_addr = parport_ieee1284_ecp_write_addr,
	.compat_write_data = parport_ieee1284_write_compat,
	.nibble_read_data = parport_ieee1284_read_nibble,
	.byte_read_data = parport_ieee1284_read_byte,
	.owner = THIS_MODULE,
};

static ssize_t sim_read_received(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	unsigned int target = (uintptr_t)file->private_data;
	size_t len = parown_sim_received(sim(sim_port), target, NULL, 0);
	ssize_t ret;
	u8 *buf;

	buf = kvmalloc(len ? len : 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = min(len, parown_sim_received(sim(sim_port), target, buf, len));
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, len);
	kvfree(buf);
	return ret;
}

static const struct file_operations sim_received_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_read_received,
	.llseek = default_llseek,
};

static ssize_t sim_write_setting(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	void (*set)(const void *ctx, int value) = file->private_data;
	int value;
	int ret = kstrtoint_from_user(ubuf, count, 0, &value);

	if (ret)
		return ret;
	set(sim(sim_port), value);
	return count;
}

static const struct file_operations sim_setting_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_write_setting,
	.llseek = noop_llseek,
};

static void sim_set_devices(const void *ctx, int devices)
{
	parown_sim_set_devices(ctx, clamp(devices, 0, 4));
}

static void sim_forget(const void *ctx, int unused)
{
	parown_sim_forget(ctx);
	spin_lock_irq(&sim_hw_lock);
	sim_hw_len = 0;
	spin_unlock_irq(&sim_hw_lock);
}

static void sim_set_hw_limit(const void *ctx, int limit)
{
	spin_lock_irq(&sim_hw_lock);
	sim_hw_limit = limit < 0 ? -1 : limit;
	spin_unlock_irq(&sim_hw_lock);
}

/* Debugfs writes are serialised with each other by this mutex only. */
static DEFINE_MUTEX(sim_unplug_lock);

static void sim_unplug(const void *ctx, int unused)
{
	mutex_lock(&sim_unplug_lock);
	if (!sim_unplugged)
		parport_remove_port(sim_port);
	sim_unplugged = true;
	mutex_unlock(&sim_unplug_lock);
}

int parown_sim_register(const void *ctx, unsigned int hw_modes)
{
	static const char * const names[] = { "dev0", "dev1", "dev2", "dev3", "eoc" };
	uintptr_t target;

	if (hw_modes & SIM_HW_EPP) {
		sim_ops.epp_write_data = sim_epp_write_data;
		sim_ops.epp_read_data = sim_epp_read_data;
		sim_ops.epp_write_addr = sim_epp_write_addr;
		sim_ops.epp_read_addr = sim_epp_read_addr;
	}
	if (hw_modes & SIM_HW_ECP) {
		sim_ops.ecp_write_data = sim_ecp_write_data;
		sim_ops.ecp_read_data = sim_ecp_read_data;
		sim_ops.ecp_write_addr = sim_ecp_write_addr;
	}

	sim_fdev = faux_device_create("parown_sim", NULL, NULL);
	if (!sim_fdev)
		return -ENOMEM;
	/* No I/O ports behind it: the base is only a name. */
	sim_port = parport_register_port(0x1000, PARPORT_IRQ_NONE,
					 PARPORT_DMA_NONE, &sim_ops);
	if (!sim_port) {
		faux_device_destroy(sim_fdev);
		return -ENOMEM;
	}
	/*
	 * Bidirectional (byte mode) like most PC ports, and by default no
	 * ECP or EPP hardware: the ECP and EPP operations above are then the
	 * core's software emulations, which this port does not claim to
	 * support. With hw_modes, the recording operations.
	 */
	sim_port->modes = PARPORT_MODE_PCSPP | PARPORT_MODE_TRISTATE |
			  PARPORT_MODE_SAFEININT;
	if (hw_modes & SIM_HW_EPP)
		sim_port->modes |= PARPORT_MODE_EPP;
	if (hw_modes & SIM_HW_ECP)
		sim_port->modes |= PARPORT_MODE_ECP;
	sim_port->dev = &sim_fdev->dev;
	sim_port->private_data = (void *)ctx;

	sim_dir = debugfs_create_dir("parown_sim", NULL);
	for (target = 0; target < ARRAY_SIZE(names); target++)
		debugfs_create_file(names[target], 0400, sim_dir, (void *)target,
				    &sim_received_fops);
	debugfs_create_file("devices", 0200, sim_dir, sim_set_devices,
			    &sim_setting_fops);
	debugfs_create_file("mute", 0200, sim_dir, parown_sim_set_muted,
			    &sim_setting_fops);
	debugfs_create_file("busy", 0200, sim_dir, parown_sim_set_busy,
			    &sim_setting_fops);
	debugfs_create_file("forget", 0200, sim_dir, sim_forget,
			    &sim_setting_fops);
	debugfs_create_file("unplug", 0200, sim_dir, sim_unplug,
			    &sim_setting_fops);
	debugfs_create_file("hw_log", 0400, sim_dir, NULL, &sim_hw_log_fops);
	debugfs_create_file("hw_limit", 0200, sim_dir, sim_set_hw_limit,
			    &sim_setting_fops);

	/* The core enumerates the chain here, then tells the drivers. */
	parport_announce_port(sim_port);
	return 0;
}

void parown_sim_unregister(void)
{
	/* Waits for a write to "unplug" in progress. */
	debugfs_remove_recursive(sim_dir);
	if (!sim_unplugged)
		parport_remove_port(sim_port);
	parport_del_port(sim_port);
	faux_device_destroy(sim_fdev);
}

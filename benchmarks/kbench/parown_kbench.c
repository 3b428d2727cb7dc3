// SPDX-License-Identifier: GPL-2.0
/*
 * parown_kbench: on loading, times parown_allocate() + parown_free() of an
 * in-kernel client against a bare parport_claim() + parport_release() of
 * a pardevice of its own on the same port, in interleaved rounds, and
 * leaves the figures in debugfs (parown_kbench: one line a round, the
 * total nanoseconds of each variant's pairs) for the benchmark program.
 * Unload it to run it again. A benchmark, not a driver.
 */
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/parown.h>
#include <linux/parport.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define MAX_ROUNDS 16

static unsigned int port;
module_param(port, uint, 0444);
MODULE_PARM_DESC(port, "the parport number to measure on (default 0)");
static unsigned int pairs = 10000;
module_param(pairs, uint, 0444);
MODULE_PARM_DESC(pairs, "pairs a round (default 10000)");
static unsigned int rounds = 7;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds (default 7, at most 16)");

static u64 parown_total[MAX_ROUNDS], parport_total[MAX_ROUNDS];
static int result;
static struct dentry *file;

static int time_parown(struct parown_client *client, u64 *total)
{
	u64 start = ktime_get_ns();
	unsigned int i;
	int ret;

	for (i = 0; i < pairs; i++) {
		ret = parown_allocate(client, 0);
		if (!ret)
			ret = parown_free(client);
		if (ret)
			return ret;
	}
	*total = ktime_get_ns() - start;
	return 0;
}

static int time_parport(struct pardevice *dev, u64 *total)
{
	u64 start = ktime_get_ns();
	unsigned int i;
	int ret;

	for (i = 0; i < pairs; i++) {
		ret = parport_claim(dev);
		if (ret)
			return ret;
		parport_release(dev);
	}
	*total = ktime_get_ns() - start;
	return 0;
}

static int measure(struct parown_client *client, struct pardevice *dev)
{
	unsigned int r;
	int ret;

	/*
	 * Warm up both. The first claim of each takes the port from the
	 * other (parown holds it lazily between its owners and gives it up
	 * when another pardevice asks).
	 */
	ret = parown_allocate(client, 0);
	if (!ret)
		ret = parown_free(client);
	if (ret)
		return ret;
	ret = parport_claim_or_block(dev);
	if (ret < 0)
		return ret;
	parport_release(dev);

	/* Interleaved, the order turning, so that drift hits both alike. */
	for (r = 0; r < rounds; r++) {
		if (r % 2) {
			ret = time_parown(client, &parown_total[r]) ?:
			      time_parport(dev, &parport_total[r]);
		} else {
			ret = time_parport(dev, &parport_total[r]) ?:
			      time_parown(client, &parown_total[r]);
		}
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static int results_show(struct seq_file *m, void *v)
{
	unsigned int r;

	if (result) {
		seq_printf(m, "error %d\n", result);
		return 0;
	}
	for (r = 0; r < rounds; r++)
		seq_printf(m, "round %u pairs %u parown_ns %llu parport_ns %llu\n",
			   r, pairs, parown_total[r], parport_total[r]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(results);

static int __init parown_kbench_init(void)
{
	struct parown_client client = {};
	struct pardev_cb cb = {};
	struct pardevice *dev;
	struct parport *pp;
	int ret;

	if (rounds < 1 || rounds > MAX_ROUNDS || !pairs)
		return -EINVAL;
	pp = parport_find_number(port);
	if (!pp)
		return -ENODEV;
	dev = parport_register_dev_model(pp, "parown_kbench", &cb, 0);
	parport_put_port(pp);
	if (!dev)
		return -ENODEV;
	ret = parown_open(&client, port, "parown_kbench");
	if (ret) {
		parport_unregister_device(dev);
		return ret;
	}

	result = measure(&client, dev);

	parown_close(&client);
	parport_unregister_device(dev);
	if (result)
		pr_err("parown_kbench: measuring failed: %d\n", result);
	file = debugfs_create_file("parown_kbench", 0444, NULL, NULL, &results_fops);
	return 0;
}

static void __exit parown_kbench_exit(void)
{
	debugfs_remove(file);
}

module_init(parown_kbench_init);
module_exit(parown_kbench_exit);
MODULE_DESCRIPTION("parown: in-kernel allocate/free against parport claim/release");
MODULE_LICENSE("GPL");

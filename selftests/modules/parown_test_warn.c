// SPDX-License-Identifier: GPL-2.0
/*
 * A module that only prints a kernel warning when loaded. The test suite
 * loads it to prove that the VM runner fails a run whose kernel log shows
 * a report.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init parown_test_warn_init(void)
{
	WARN(1, "parown_test_warn: planted warning\n");
	return 0;
}
module_init(parown_test_warn_init);

static void __exit parown_test_warn_exit(void)
{
}
module_exit(parown_test_warn_exit);

MODULE_DESCRIPTION("parown test: plant a kernel warning");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");

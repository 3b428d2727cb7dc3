/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the tests on parport0: two clients of the port, a and b,
 * opened for each test and closed after it (children reaped first).
 * Include after kselftest_harness.h and parown_test.h.
 */
#ifndef PAROWN_FIXTURE_PORT0_H
#define PAROWN_FIXTURE_PORT0_H

/* Two clients of parport0, a and b. */
FIXTURE(port0) {
	int a, b;
};

FIXTURE_SETUP(port0)
{
	self->a = po_open(0);
	self->b = po_open(0);
	ASSERT_LE(0, self->a);
	ASSERT_LE(0, self->b);
}

FIXTURE_TEARDOWN(port0)
{
	reap_children();
	close(self->a);
	close(self->b);
}

#endif /* PAROWN_FIXTURE_PORT0_H */

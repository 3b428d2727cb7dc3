/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the tests on the simulated chain: parown_sim loaded with
 * four daisy-chain devices and two clients of its port, a and b, for each
 * test; the simulator is unloaded after it.
 * Include after kselftest_harness.h and parown_test.h.
 */
#ifndef PAROWN_FIXTURE_CHAIN_H
#define PAROWN_FIXTURE_CHAIN_H

/* The simulated port with a chain of four devices, and two clients. */
FIXTURE(chain) {
	int a, b;
};

FIXTURE_SETUP(chain)
{
	ASSERT_EQ(0, sim_load(4));
	self->a = po_open(SIM_PORT);
	self->b = po_open(SIM_PORT);
	ASSERT_LE(0, self->a);
	ASSERT_LE(0, self->b);
}

FIXTURE_TEARDOWN(chain)
{
	reap_children();
	close(self->a);
	close(self->b);
	sh("rmmod parown_sim");
}

#endif /* PAROWN_FIXTURE_CHAIN_H */

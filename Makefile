# SPDX-License-Identifier: GPL-2.0
#
# parown: build the module against a Rust-enabled kernel, or let the
# scripts set everything up and show or test it in a VM.
#
#   make                 build parown.ko against KDIR (your running kernel)
#   make KDIR=<dir>      ... against another Rust-enabled kernel build tree
#   make demo            install what is missing, build the test kernel and
#                        the module, boot a VM and show parown at work
#   make check           the same set-up, then every test (host and VM)
#   make bench           the benchmarks, on a kernel without debugging
#
# Pass the toolchain your kernel was built with, e.g. LLVM=1, as usual.

KDIR ?= /lib/modules/$(shell uname -r)/build

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

demo:
	scripts/demo.sh

check:
	scripts/check.sh $(TESTS)

bench:
	scripts/bench.sh

.PHONY: modules clean demo check bench

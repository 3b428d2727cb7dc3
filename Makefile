# SPDX-License-Identifier: GPL-2.0
#
# parown: build the module against a Rust-enabled kernel, install it, or
# let the scripts set everything up and show or test it in a VM.
#
#   make                 build parown.ko against KDIR (your running kernel),
#                        and parownctl (with cargo)
#   make KDIR=<dir>      ... against another Rust-enabled kernel build tree
#   make install         install parown.ko for KVER (default: the running
#                        kernel), the udev rule and parownctl with its man
#                        pages and completions; make uninstall undoes it
#   make parownctl       build parownctl alone; make install-parownctl and
#                        make uninstall-parownctl install and remove it
#   make dkms-install    the same through DKMS, for every kernel to come;
#                        make dkms-uninstall undoes it
#   make demo            install what is missing, build the test kernel and
#                        the module, boot a VM and show parown at work
#   make check           the same set-up, then every test (host, VM, and
#                        Debian's own kernels; KERNELS=test for the test
#                        kernel alone)
#   make bench           the benchmarks, on a kernel without debugging
#   make profile         where the fast paths' time goes (perf in the VM)
#
# Pass the toolchain your kernel was built with, e.g. LLVM=1, as usual.

# KVER and KDIR follow each other: either one names the kernel.
ifdef KVER
KDIR ?= /lib/modules/$(KVER)/build
else
KDIR ?= /lib/modules/$(shell uname -r)/build
KVER = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null || uname -r)
endif
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(CURDIR)/dkms.conf)
DKMS_SRC := /usr/src/parown-$(VERSION)
# What DKMS needs of the tree to build the module.
DKMS_FILES := dkms.conf Kbuild Makefile rust include tools
UDEV_RULE := $(DESTDIR)/usr/lib/udev/rules.d/60-parown.rules
SBIN_DIR := $(DESTDIR)/usr/sbin
TOOL_DIR := $(DESTDIR)/usr/lib/kernel-rust-metadata
# parownctl goes where a local administrator's programs go.
PREFIX ?= /usr/local
BIN_DIR := $(DESTDIR)$(PREFIX)/bin
MAN1_DIR := $(DESTDIR)$(PREFIX)/share/man/man1
BASH_COMPLETIONS := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISH_COMPLETIONS := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
CARGO ?= cargo
PAROWNCTL := target/release/parownctl

all: modules parownctl

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The versions in Cargo.lock, as tested.
parownctl:
	$(CARGO) build --release --locked -p parownctl

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

install: modules install-files install-parownctl
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod $(KVER)

uninstall: uninstall-files uninstall-parownctl
	rm -f /lib/modules/$(KVER)/updates/rust/parown.ko*
	depmod $(KVER)

# The program, its man pages and its completions, both made by the
# program from its own command-line definitions.
install-parownctl: parownctl
	install -D -m 0755 $(PAROWNCTL) $(BIN_DIR)/parownctl
	$(PAROWNCTL) man $(MAN1_DIR)
	mkdir -p $(BASH_COMPLETIONS) $(ZSH_COMPLETIONS) $(FISH_COMPLETIONS)
	$(PAROWNCTL) completions bash >$(BASH_COMPLETIONS)/parownctl
	$(PAROWNCTL) completions zsh >$(ZSH_COMPLETIONS)/_parownctl
	$(PAROWNCTL) completions fish >$(FISH_COMPLETIONS)/parownctl.fish

uninstall-parownctl:
	rm -f $(BIN_DIR)/parownctl $(MAN1_DIR)/parownctl.1 $(MAN1_DIR)/parownctl-*.1 \
		$(BASH_COMPLETIONS)/parownctl $(ZSH_COMPLETIONS)/_parownctl \
		$(FISH_COMPLETIONS)/parownctl.fish

# A second dkms-install replaces the sources: what DKMS built from the old
# ones, for any kernel, goes first.
dkms-install: install-files
	if dkms status -m parown -v $(VERSION) | grep -q .; then dkms remove -m parown -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r $(DKMS_FILES) $(DKMS_SRC)/
	# Only sources: DKMS builds in its own tree.
	find $(DKMS_SRC) \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name '*.rmeta' -o -name Module.symvers -o -name modules.order \) -delete
	dkms add -m parown -v $(VERSION)
	dkms install -m parown -v $(VERSION) -k $(KVER)

dkms-uninstall: uninstall-files
	if dkms status -m parown -v $(VERSION) | grep -q .; then dkms remove -m parown -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)

# The udev rule (the lp group may use the ports), and the tool that makes
# a Debian kernel's Rust metadata, for other Rust modules too.
install-files:
	install -D -m 0644 udev/60-parown.rules $(UDEV_RULE)
	install -D -m 0755 -t $(TOOL_DIR) tools/kernel-rust-metadata tools/make-progress
	mkdir -p $(SBIN_DIR)
	ln -sf ../lib/kernel-rust-metadata/kernel-rust-metadata $(SBIN_DIR)/kernel-rust-metadata
	if command -v udevadm >/dev/null; then udevadm control --reload || true; fi

uninstall-files:
	rm -f $(UDEV_RULE) $(SBIN_DIR)/kernel-rust-metadata
	rm -rf $(TOOL_DIR)

demo:
	scripts/demo.sh

check:
	scripts/check.sh $(TESTS)

bench:
	scripts/bench.sh

profile:
	scripts/profile.sh

.PHONY: all modules parownctl clean install uninstall install-parownctl \
	uninstall-parownctl dkms-install dkms-uninstall install-files \
	uninstall-files demo check bench profile

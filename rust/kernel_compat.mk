# SPDX-License-Identifier: GPL-2.0
#
# The kernel version, as the cfgs that rust/kernel_compat.rs (and nothing
# else) looks at. Included by the Kbuild files of the module, the sample
# and the test modules.

parown_kernel := $(shell echo $$(( $(VERSION) * 1000 + $(PATCHLEVEL) )))
ifeq ($(shell [ $(parown_kernel) -lt 7003 ] && echo y),y)
rustflags-y += --cfg=parown_kernel_before_7_3
endif

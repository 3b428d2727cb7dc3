#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: set up what is missing, boot the test VM with parport_pc and
# parown loaded, and show what parown does (scripts/vm/demo.sh).

set -eu

. "$(dirname "$0")/lib.sh"

exec "$PAROWN_TOP/scripts/vm-run.sh" -t 600 -f "$PAROWN_TOP/scripts/vm/demo.sh" -- sh ./demo.sh

#!/bin/sh
# make, on a machine that may not have it yet: installs what Tessera builds
# and tests with (tools/setup.sh: make, the cross compiler, QEMU, dtc, ...),
# then runs make with the arguments given. `./make.sh test` is `make test`.
set -e
cd "$(dirname "$0")"
bash tools/setup.sh
exec make "$@"

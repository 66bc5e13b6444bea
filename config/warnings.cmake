# SPDX-License-Identifier: MIT
# The warning set of every shmbox build, native and cross: errors, not advice.
set(SHMBOX_WARNINGS -Wall -Wextra -Werror -pedantic -Wconversion -Wsign-conversion
    -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wcast-align -Wundef)

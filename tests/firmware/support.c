// SPDX-License-Identifier: MIT
/* tests/support for the firmware: no process ids, the port's clock. */
#include "support.h"

#include <stdio.h>

#include <shmbox/port.h>

const char *shmbox_test_name(const char *tag)
{
    static char buf[SHMBOX_NAME_MAX + 1];
    static unsigned n;
    snprintf(buf, sizeof(buf), "t-%.8s-fw-%u", tag, n++);
    return buf;
}

uint64_t shmbox_test_now_ms(void)
{
    return shmbox_port_now_ns() / 1000000u;
}

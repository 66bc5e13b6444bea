// SPDX-License-Identifier: MIT
/*
 * The firmware's main: runs the test program's own main (renamed by
 * check.h) and ends the emulator with its result. Returning from main does
 * not stop qemu; exit() does, through semihosting, with this status.
 */
#include <stdio.h>
#include <stdlib.h>

int shmbox_fw_test_main(void);

int main(void)
{
    int rc = shmbox_fw_test_main();
    printf("firmware: exit %d\n", rc);
    fflush(stdout);
    exit(rc);
}

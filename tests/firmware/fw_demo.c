// SPDX-License-Identifier: MIT
/*
 * A minimal firmware using shmbox on the static port: one region, a slot
 * handed from a producer handle to a consumer handle through a mailbox.
 * Its size (arm-none-eabi-size) is what the component costs in a product;
 * it exits 0 when every step succeeded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shmbox/shmbox.h>

static shmbox_t producer, consumer;

static int run(void)
{
    int rc = shmbox_create(&producer, "fw");
    if (rc == 0)
        rc = shmbox_open(&consumer, "fw", SHMBOX_NO_WAIT);
    shmbox_slot_t slot = SHMBOX_SLOT_NONE;
    if (rc == 0)
        rc = shmbox_slot_alloc(&producer, 48, &slot, SHMBOX_NO_WAIT);
    if (rc == 0) {
        memcpy(shmbox_slot_ptr(&producer, slot), "sensor frame", 13);
        rc = shmbox_send_slot(&producer, 0, slot, 13, SHMBOX_NO_WAIT);
    }
    size_t len = 0;
    if (rc == 0)
        rc = shmbox_recv_slot(&consumer, 0, &slot, &len, 100);
    if (rc == 0 && (len != 13 || memcmp(shmbox_slot_ptr(&consumer, slot), "sensor frame", 13) != 0))
        rc = -1;
    if (rc == 0)
        rc = shmbox_slot_free(&consumer, slot);
    (void)shmbox_close(&consumer);
    (void)shmbox_close(&producer);
    (void)shmbox_unlink("fw");
    return rc;
}

int main(void)
{
    int rc = run();
    printf("fw_demo: %s\n", shmbox_strerror(rc));
    exit(rc == 0 ? 0 : 1);
}

// SPDX-License-Identifier: MIT
/*
 * The emulated board (qemu mps2-an521, Cortex-M33, secure world): the
 * static port's hooks. The clock is the SSE-200's CMSDK timer 0 (20 MHz,
 * counting down from 0xffffffff), extended to 64 bits; the doorbell to
 * Linux is a byte on UART0, which qemu connects to a host pipe or file
 * (nothing listens in the tests: the byte is dropped there), and a byte
 * from Linux on the same UART is a doorbell to the firmware, polled in
 * shmbox_static_relax().
 */
#include <stdint.h>

#include "fw.h"

#define REG(a) (*(volatile uint32_t *)(uintptr_t)(a))

#define TIMER0 0x50000000u /* secure alias */
#define TIMER_CTRL (TIMER0 + 0x0u)
#define TIMER_VALUE (TIMER0 + 0x4u)
#define TIMER_RELOAD (TIMER0 + 0x8u)
#define TIMER_HZ 20000000u

#define UART0 0x50200000u /* secure alias */
#define UART_DATA (UART0 + 0x0u)
#define UART_STATE (UART0 + 0x4u)
#define UART_CTRL (UART0 + 0x8u)
#define UART_BAUDDIV (UART0 + 0x10u)
#define UART_STATE_TXFULL 1u
#define UART_STATE_RXFULL 2u

static uint32_t last_value;
static uint64_t ticks;
static int doorbell_on;
static volatile uint32_t rung; /* doorbells from Linux seen */

void fw_board_init(int doorbell)
{
    REG(TIMER_RELOAD) = 0xffffffffu;
    REG(TIMER_VALUE) = 0xffffffffu;
    REG(TIMER_CTRL) = 1u;
    last_value = REG(TIMER_VALUE);
    ticks = 0;
    doorbell_on = doorbell;
    REG(UART_BAUDDIV) = 16u;
    REG(UART_CTRL) = 3u; /* TX and RX on */
}

/* One thread, no interrupt handler uses shmbox: no locking needed. The
 * counter wraps after 214 s; it is read far more often than that. */
uint64_t shmbox_static_clock_ns(void)
{
    uint32_t v = REG(TIMER_VALUE);
    ticks += (uint32_t)(last_value - v);
    last_value = v;
    return ticks * (1000000000u / TIMER_HZ) + 1u;
}

uint64_t fw_now_ms(void)
{
    return shmbox_static_clock_ns() / 1000000u;
}

uint64_t fw_now_us(void)
{
    return shmbox_static_clock_ns() / 1000u;
}

/* A doorbell from Linux: drain the UART's receive register. */
uint32_t fw_doorbells(void)
{
    while (REG(UART_STATE) & UART_STATE_RXFULL) {
        (void)REG(UART_DATA);
        rung++;
    }
    return rung;
}

void shmbox_static_relax(void)
{
    if (doorbell_on)
        (void)fw_doorbells();
    __asm__ __volatile__("yield" ::: "memory");
}

/* The firmware committed or released something Linux may wait for. */
void shmbox_static_doorbell(void)
{
    if (!doorbell_on)
        return;
    while (REG(UART_STATE) & UART_STATE_TXFULL)
        ;
    REG(UART_DATA) = 'd';
}

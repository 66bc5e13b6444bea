// SPDX-License-Identifier: MIT
/*
 * The hybrid tests' firmware: one image, the scenario named on the command
 * line (qemu -append "SCENARIO ARGS...", read through semihosting), run
 * against the region at CONFIG_SHMBOX_STATIC_ADDRESS that Linux processes
 * map at the same time. Exit status (qemu's): 0 when every check passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

static shmbox_t region;

struct scenario {
    const char *name;
    int (*run)(shmbox_t *sb, int argc, char **argv);
};

static const struct scenario scenarios[] = {
    {"own", fw_own},         {"traffic", fw_traffic}, {"many", fw_many}, {"mesh", fw_mesh},
    {"crash", fw_crash},     {"reattach", fw_reattach}, {"demo", fw_demo}, {"echo", fw_echo},
};

int main(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        for (size_t s = 0; s < sizeof(scenarios) / sizeof(scenarios[0]); s++)
            if (strcmp(argv[i], scenarios[s].name) == 0) {
                fw_board_init(0);
                int rc = scenarios[s].run(&region, argc - i - 1, argv + i + 1);
                printf("firmware: %s: exit %d\n", scenarios[s].name, rc);
                fflush(stdout);
                exit(rc);
            }
    printf("firmware: no scenario named on the command line (qemu -append \"NAME ...\")\n");
    exit(2);
}

// SPDX-License-Identifier: MIT
/* shmbox-bench-report: the rows of a result file, shared by its parts. */
#ifndef SHMBOX_BENCH_REPORT_H
#define SHMBOX_BENCH_REPORT_H

#include <stddef.h>

#define MAXROWS 256

struct row {
    char scen[8], mech[32], param[16];
    double count, secs;  /* summed over every run of the row */
    double cpu, cpu_n;   /* CPU seconds of both processes, and the operations they did */
    double n, p50, p99, p999, max, rate;
    double *s;           /* sorted samples, ns */
};
extern struct row rows[MAXROWS];
extern int nrows;

/* report.c */
const struct row *find(const char *scen, const char *mech, const char *param);
const char *label(const struct row *r);
double row_quantile(const struct row *r, double q);
void us(char *b, size_t n, double ns);     /* ns as microseconds, 3 significant digits */
void rate(char *b, size_t n, double v);    /* 1.2 M, 34.5 k */
void ratio(char *b, size_t n, double num, double den);

/* report_tables.c */
void table_latency(const char *scen, const char *title, const char *what, const char *per);
void table_load(const char *scen, const char *title);
void table_bulk(void);
void table_alloc(void);

/* report_targets.c */
int verdict(const char *name, int ok, const char *fmt, double a, double b);
void targets(void);
void targets_load(void);

#endif

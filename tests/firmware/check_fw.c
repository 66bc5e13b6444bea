// SPDX-License-Identifier: MIT
/* The Check-compatible runner of tests/firmware/check.h. */
#include "check.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_SUITES 4
#define MAX_TCASES 16
#define MAX_TESTS 64

struct TCase {
    const char *name;
    SFun setup, teardown;
    const TTest *tests[MAX_TESTS];
    unsigned n;
};

struct Suite {
    const char *name;
    TCase *tc[MAX_TCASES];
    unsigned n;
};

struct SRunner {
    Suite *suites[MAX_SUITES];
    unsigned n;
    int run, failed;
};

static struct TCase tcases[MAX_TCASES];
static struct Suite suites[MAX_SUITES];
static struct SRunner runner;
static unsigned tcase_count, suite_count;

static jmp_buf env;
static int in_test;
static const char *cur_tcase = "", *cur_test = "";

static void out_of_room(const char *what)
{
    printf("check_fw: too many %s\n", what);
    exit(2);
}

Suite *suite_create(const char *name)
{
    if (suite_count == MAX_SUITES)
        out_of_room("suites");
    Suite *s = &suites[suite_count++];
    s->name = name;
    s->n = 0;
    return s;
}

TCase *tcase_create(const char *name)
{
    if (tcase_count == MAX_TCASES)
        out_of_room("test cases");
    TCase *tc = &tcases[tcase_count++];
    tc->name = name;
    tc->setup = tc->teardown = NULL;
    tc->n = 0;
    return tc;
}

void suite_add_tcase(Suite *s, TCase *tc)
{
    if (s->n == MAX_TCASES)
        out_of_room("test cases in a suite");
    s->tc[s->n++] = tc;
}

void tcase_add_checked_fixture(TCase *tc, SFun setup, SFun teardown)
{
    tc->setup = setup;
    tc->teardown = teardown;
}

void tcase_add_unchecked_fixture(TCase *tc, SFun setup, SFun teardown)
{
    tcase_add_checked_fixture(tc, setup, teardown);
}

void tcase_set_timeout(TCase *tc, double timeout)
{
    (void)tc; /* the emulator run has ctest's timeout */
    (void)timeout;
}

void ck_fw_add_test(TCase *tc, const TTest *t)
{
    if (tc->n == MAX_TESTS)
        out_of_room("tests in a test case");
    tc->tests[tc->n++] = t;
}

SRunner *srunner_create(Suite *s)
{
    runner.n = 0;
    runner.run = runner.failed = 0;
    if (s != NULL)
        srunner_add_suite(&runner, s);
    return &runner;
}

void srunner_add_suite(SRunner *sr, Suite *s)
{
    if (sr->n == MAX_SUITES)
        out_of_room("suites in a runner");
    sr->suites[sr->n++] = s;
}

void srunner_set_fork_status(SRunner *sr, enum fork_status fstat)
{
    (void)sr; /* never forks */
    (void)fstat;
}

void ck_fw_fail(const char *file, int line, const char *expr, const char *fmt, ...)
{
    printf("%s:%d:F:%s:%s:0: Assertion '%s' failed: ", file, line, cur_tcase, cur_test, expr);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!in_test)
        exit(1);
    longjmp(env, 1);
}

void ck_fw_mark(const char *file, int line)
{
    (void)file;
    (void)line;
}

/* Run @p fn under the jump buffer: 0 if it returned, 1 if an assertion failed. */
static int guarded(void (*fn)(int), SFun plain)
{
    in_test = 1;
    if (setjmp(env) != 0) {
        in_test = 0;
        return 1;
    }
    if (fn != NULL)
        fn(0);
    else if (plain != NULL)
        plain();
    in_test = 0;
    return 0;
}

void srunner_run_all(SRunner *sr, enum print_output mode)
{
    for (unsigned s = 0; s < sr->n; s++) {
        printf("Running suite(s): %s\n", sr->suites[s]->name);
        for (unsigned c = 0; c < sr->suites[s]->n; c++) {
            TCase *tc = sr->suites[s]->tc[c];
            cur_tcase = tc->name;
            for (unsigned t = 0; t < tc->n; t++) {
                cur_test = tc->tests[t]->name;
                int failed = guarded(NULL, tc->setup);
                if (!failed)
                    failed = guarded(tc->tests[t]->fn, NULL);
                failed |= guarded(NULL, tc->teardown);
                sr->run++;
                sr->failed += failed;
                if (mode >= CK_VERBOSE || (mode == CK_NORMAL && !failed))
                    printf("%s:%s: %s\n", tc->name, cur_test, failed ? "FAILED" : "Passed");
            }
        }
    }
    printf("%d%%: Checks: %d, Failures: %d, Errors: 0\n", sr->run ? 100 * (sr->run - sr->failed) / sr->run : 100,
           sr->run, sr->failed);
}

int srunner_ntests_failed(SRunner *sr)
{
    return sr->failed;
}

int srunner_ntests_run(SRunner *sr)
{
    return sr->run;
}

void srunner_free(SRunner *sr)
{
    (void)sr;
}

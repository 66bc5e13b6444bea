// SPDX-License-Identifier: MIT
/*
 * The subset of Check's API that shmbox's single-process tests use,
 * implemented for bare metal (no fork, no heap needed): the same test
 * sources build against real Check on the host and against this file for
 * the firmware. A failed assertion prints Check's "file:line:F:..." line
 * and long-jumps back to the runner, which runs the teardown and goes on,
 * exactly like Check's CK_NOFORK mode. Tests run in the order added.
 */
#ifndef SHMBOX_FW_CHECK_H
#define SHMBOX_FW_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct TTest {
    const char *name;
    void (*fn)(int);
} TTest;
typedef struct TCase TCase;
typedef struct Suite Suite;
typedef struct SRunner SRunner;
typedef void (*SFun)(void);

enum fork_status { CK_FORK_GETENV, CK_NOFORK, CK_FORK };
enum print_output { CK_SILENT, CK_MINIMAL, CK_NORMAL, CK_VERBOSE, CK_ENV, CK_SUBUNIT, CK_LAST };

Suite *suite_create(const char *name);
TCase *tcase_create(const char *name);
void suite_add_tcase(Suite *s, TCase *tc);
void tcase_add_checked_fixture(TCase *tc, SFun setup, SFun teardown);
void tcase_add_unchecked_fixture(TCase *tc, SFun setup, SFun teardown);
void tcase_set_timeout(TCase *tc, double timeout);
void ck_fw_add_test(TCase *tc, const TTest *t);
#define tcase_add_test(tc, tf) ck_fw_add_test((tc), (tf))
SRunner *srunner_create(Suite *s);
void srunner_add_suite(SRunner *sr, Suite *s);
void srunner_set_fork_status(SRunner *sr, enum fork_status fstat);
void srunner_run_all(SRunner *sr, enum print_output mode);
int srunner_ntests_failed(SRunner *sr);
int srunner_ntests_run(SRunner *sr);
void srunner_free(SRunner *sr);

__attribute__((noreturn, format(printf, 4, 5))) void ck_fw_fail(const char *file, int line, const char *expr,
                                                                const char *fmt, ...);
void ck_fw_mark(const char *file, int line);

#define START_TEST(name)                                                                                         \
    static void name##_fn(int _i __attribute__((unused)));                                                       \
    static const TTest name##_ttest = {#name, name##_fn};                                                        \
    static const TTest *const name = &name##_ttest;                                                              \
    static void name##_fn(int _i __attribute__((unused)))
#define END_TEST

#define ck_assert_msg(expr, ...) ((expr) ? (void)0 : ck_fw_fail(__FILE__, __LINE__, #expr, __VA_ARGS__))
#define ck_assert(expr) ck_assert_msg(expr, "%s", "")
#define ck_abort_msg(...) ck_fw_fail(__FILE__, __LINE__, "abort", __VA_ARGS__)
#define ck_abort() ck_abort_msg("%s", "")
#define fail_unless(expr, ...) ck_assert_msg(expr, __VA_ARGS__)
#define fail_if(expr, ...) ck_assert_msg(!(expr), __VA_ARGS__)
#define mark_point() ck_fw_mark(__FILE__, __LINE__)

/* Operands are evaluated once and converted explicitly, as Check does. */
#define CK_FW_CMP(T, FMT, X, OP, Y)                                                                              \
    do {                                                                                                         \
        T ck_x_ = (T)(X);                                                                                        \
        T ck_y_ = (T)(Y);                                                                                        \
        if (!(ck_x_ OP ck_y_))                                                                                   \
            ck_fw_fail(__FILE__, __LINE__, #X " " #OP " " #Y, "%s == " FMT ", %s == " FMT, #X, ck_x_, #Y,        \
                       ck_y_);                                                                                   \
    } while (0)
#define ck_assert_int_eq(X, Y) CK_FW_CMP(long long, "%lld", X, ==, Y)
#define ck_assert_int_ne(X, Y) CK_FW_CMP(long long, "%lld", X, !=, Y)
#define ck_assert_int_lt(X, Y) CK_FW_CMP(long long, "%lld", X, <, Y)
#define ck_assert_int_le(X, Y) CK_FW_CMP(long long, "%lld", X, <=, Y)
#define ck_assert_int_gt(X, Y) CK_FW_CMP(long long, "%lld", X, >, Y)
#define ck_assert_int_ge(X, Y) CK_FW_CMP(long long, "%lld", X, >=, Y)
#define ck_assert_uint_eq(X, Y) CK_FW_CMP(unsigned long long, "%llu", X, ==, Y)
#define ck_assert_uint_ne(X, Y) CK_FW_CMP(unsigned long long, "%llu", X, !=, Y)
#define ck_assert_uint_lt(X, Y) CK_FW_CMP(unsigned long long, "%llu", X, <, Y)
#define ck_assert_uint_le(X, Y) CK_FW_CMP(unsigned long long, "%llu", X, <=, Y)
#define ck_assert_uint_gt(X, Y) CK_FW_CMP(unsigned long long, "%llu", X, >, Y)
#define ck_assert_uint_ge(X, Y) CK_FW_CMP(unsigned long long, "%llu", X, >=, Y)

#define CK_FW_PTR(X, OP, Y)                                                                                      \
    do {                                                                                                         \
        const void *ck_x_ = (const void *)(X);                                                                   \
        const void *ck_y_ = (const void *)(Y);                                                                   \
        if (!(ck_x_ OP ck_y_))                                                                                   \
            ck_fw_fail(__FILE__, __LINE__, #X " " #OP " " #Y, "%s == %p, %s == %p", #X, ck_x_, #Y, ck_y_);       \
    } while (0)
#define ck_assert_ptr_eq(X, Y) CK_FW_PTR(X, ==, Y)
#define ck_assert_ptr_ne(X, Y) CK_FW_PTR(X, !=, Y)
#define ck_assert_ptr_null(X) CK_FW_PTR(X, ==, NULL)
#define ck_assert_ptr_nonnull(X) CK_FW_PTR(X, !=, NULL)

#define CK_FW_STR(X, OP, Y)                                                                                      \
    do {                                                                                                         \
        const char *ck_x_ = (X);                                                                                 \
        const char *ck_y_ = (Y);                                                                                 \
        if (!(ck_x_ != NULL && ck_y_ != NULL && strcmp(ck_x_, ck_y_) OP 0))                                      \
            ck_fw_fail(__FILE__, __LINE__, #X " " #OP " " #Y, "%s == \"%s\", %s == \"%s\"", #X,                  \
                       ck_x_ ? ck_x_ : "(null)", #Y, ck_y_ ? ck_y_ : "(null)");                                  \
    } while (0)
#define ck_assert_str_eq(X, Y) CK_FW_STR(X, ==, Y)
#define ck_assert_str_ne(X, Y) CK_FW_STR(X, !=, Y)

#define CK_FW_MEM(X, OP, Y, L)                                                                                   \
    do {                                                                                                         \
        const void *ck_x_ = (X);                                                                                 \
        const void *ck_y_ = (Y);                                                                                 \
        size_t ck_l_ = (size_t)(L);                                                                              \
        if (!(memcmp(ck_x_, ck_y_, ck_l_) OP 0))                                                                 \
            ck_fw_fail(__FILE__, __LINE__, #X " " #OP " " #Y, "%zu bytes differ", ck_l_);                        \
    } while (0)
#define ck_assert_mem_eq(X, Y, L) CK_FW_MEM(X, ==, Y, L)
#define ck_assert_mem_ne(X, Y, L) CK_FW_MEM(X, !=, Y, L)

/* A test program's main() becomes a function the firmware's real main
 * calls, so that its result ends qemu through exit() (main.c). */
#define main shmbox_fw_test_main
int main(void);

#endif

// SPDX-License-Identifier: MIT
/*
 * A C++ consumer of shmbox (make test-consumers, with pkg-config): the
 * public header compiles as C++11 with every warning an error, and the
 * library links and works from C++: a region created, a message and a
 * zero-copy slot through a mailbox, the region removed.
 */
#include <cstdio>
#include <cstring>
#include <string>

#include <unistd.h>

#include <shmbox/shmbox.h>

static int fail(const char *what, int rc)
{
    std::fprintf(stderr, "consumer_cxx: %s: %s\n", what, shmbox_strerror(rc));
    return 1;
}

int main()
{
    const std::string name = "cxx-" + std::to_string(static_cast<long>(getpid()));
    shmbox_t sb;
    std::memset(&sb, 0, sizeof(sb));
    int rc = shmbox_create(&sb, name.c_str());
    if (rc < 0)
        return fail("create", rc);
    const char msg[] = "from C++";
    char buf[64];
    shmbox_slot_t slot = SHMBOX_SLOT_NONE;
    size_t len = 0;
    if ((rc = shmbox_send(&sb, 0, msg, sizeof(msg), SHMBOX_NO_WAIT)) < 0)
        return fail("send", rc);
    if ((rc = shmbox_recv(&sb, 0, buf, sizeof(buf), SHMBOX_NO_WAIT)) != static_cast<int>(sizeof(msg)) ||
        std::memcmp(buf, msg, sizeof(msg)) != 0)
        return fail("recv", rc < 0 ? rc : -EBADMSG);
    if ((rc = shmbox_slot_alloc(&sb, 100, &slot, SHMBOX_NO_WAIT)) < 0)
        return fail("slot_alloc", rc);
    std::memcpy(shmbox_slot_ptr(&sb, slot), msg, sizeof(msg));
    if ((rc = shmbox_send_slot(&sb, 1, slot, sizeof(msg), SHMBOX_NO_WAIT)) < 0)
        return fail("send_slot", rc);
    if ((rc = shmbox_recv_slot(&sb, 1, &slot, &len, SHMBOX_NO_WAIT)) < 0)
        return fail("recv_slot", rc);
    if (len != sizeof(msg) || std::memcmp(shmbox_slot_ptr(&sb, slot), msg, sizeof(msg)) != 0)
        return fail("slot contents", -EBADMSG);
    if ((rc = shmbox_slot_free(&sb, slot)) < 0)
        return fail("slot_free", rc);
    if ((rc = shmbox_close(&sb)) < 0)
        return fail("close", rc);
    if ((rc = shmbox_unlink(name.c_str())) < 0)
        return fail("unlink", rc);
    std::printf("consumer_cxx: OK (a message and a slot through the C API from C++)\n");
    return 0;
}

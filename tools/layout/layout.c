// SPDX-License-Identifier: MIT
/*
 * shmbox-layout: print the region layout of this build as text.
 *
 * Everything printed is a property of the shared bytes (sizes and offsets
 * of every section and of every field of every structure placed in the
 * region), never of the process: two builds whose output is identical
 * can share a region, whatever their architecture. `make test-mixed`
 * compares this output from x86_64, armhf and aarch64 byte for byte.
 *
 * The sizes and offsets are the region format's (<shmbox/shmbox_format.h>),
 * computed at run time from this library's configuration record: the
 * layout any build of that configuration has.
 *
 * Usage: shmbox-layout        (no arguments; exit status 0)
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include <shmbox/shmbox.h>
#include <shmbox/shmbox_format.h>

#define FIELD(type, field) \
    field_line(#field, (uint64_t)offsetof(struct type, field), (uint64_t)sizeof(((struct type *)0)->field))

static void field_line(const char *name, uint64_t off, uint64_t size)
{
    printf("    %-22s offset %5" PRIu64 "  size %5" PRIu64 "\n", name, off, size);
}

static void struct_line(const char *name, uint64_t size, uint64_t align)
{
    printf("  struct %-18s size %6" PRIu64 "  align %2" PRIu64 "\n", name, size, align);
}

static void section(const char *name, uint64_t off, uint64_t size)
{
    printf("  %-28s 0x%010" PRIx64 "  0x%010" PRIx64 "  (%" PRIu64 " bytes)\n", name, off, size, size);
}

static void structs(const struct shmbox_cfg_rec *cfg, const struct shmbox_format_layout *lay)
{
    printf("structures in the region (offsets and sizes in bytes):\n");
    struct_line("shmbox_lock", sizeof(struct shmbox_lock), _Alignof(struct shmbox_lock));
    FIELD(shmbox_lock, word);
    FIELD(shmbox_lock, dirty);

    struct_line("shmbox_cfg_rec", sizeof(struct shmbox_cfg_rec), _Alignof(struct shmbox_cfg_rec));
    FIELD(shmbox_cfg_rec, layout_version);
    FIELD(shmbox_cfg_rec, page_size);
    FIELD(shmbox_cfg_rec, pool_count);
    FIELD(shmbox_cfg_rec, mbox_count);
    FIELD(shmbox_cfg_rec, mbox_depth);
    FIELD(shmbox_cfg_rec, msg_size);
    FIELD(shmbox_cfg_rec, max_procs);
    FIELD(shmbox_cfg_rec, variant);
    FIELD(shmbox_cfg_rec, slot_size);
    FIELD(shmbox_cfg_rec, slot_count);

    struct_line("shmbox_proc", sizeof(struct shmbox_proc), _Alignof(struct shmbox_proc));
    FIELD(shmbox_proc, pid);
    FIELD(shmbox_proc, reserved0);
    FIELD(shmbox_proc, token_lo);
    FIELD(shmbox_proc, token_hi);

    struct_line("shmbox_hdr", lay->hdr_size, _Alignof(struct shmbox_hdr));
    FIELD(shmbox_hdr, magic);
    FIELD(shmbox_hdr, init_state);
    FIELD(shmbox_hdr, layout_version);
    FIELD(shmbox_hdr, fingerprint);
    FIELD(shmbox_hdr, region_size);
    FIELD(shmbox_hdr, creator_pid);
    FIELD(shmbox_hdr, header_size);
    FIELD(shmbox_hdr, creator_token);
    FIELD(shmbox_hdr, cfg);
    FIELD(shmbox_hdr, pad0);
    FIELD(shmbox_hdr, proc_lock);
    FIELD(shmbox_hdr, recoveries);
    FIELD(shmbox_hdr, reserved1);
    FIELD(shmbox_hdr, pad1);
    field_line("procs", (uint64_t)offsetof(struct shmbox_hdr, procs),
               (uint64_t)cfg->max_procs * sizeof(struct shmbox_proc));

    struct_line("shmbox_slot_desc", sizeof(struct shmbox_slot_desc), _Alignof(struct shmbox_slot_desc));
    FIELD(shmbox_slot_desc, next);
    FIELD(shmbox_slot_desc, state);
    FIELD(shmbox_slot_desc, owner);
    FIELD(shmbox_slot_desc, reserved0);

    struct_line("shmbox_pool_ctl", sizeof(struct shmbox_pool_ctl), _Alignof(struct shmbox_pool_ctl));
    FIELD(shmbox_pool_ctl, lock);
    FIELD(shmbox_pool_ctl, free_head);
    FIELD(shmbox_pool_ctl, used);
    FIELD(shmbox_pool_ctl, peak);
    FIELD(shmbox_pool_ctl, slot_size);
    FIELD(shmbox_pool_ctl, slot_count);
    FIELD(shmbox_pool_ctl, reserved0);
    FIELD(shmbox_pool_ctl, pad0);
    FIELD(shmbox_pool_ctl, seq);
    FIELD(shmbox_pool_ctl, sleepers);
    FIELD(shmbox_pool_ctl, pad1);

    struct_line("shmbox_mbox_ctl", sizeof(struct shmbox_mbox_ctl), _Alignof(struct shmbox_mbox_ctl));
    FIELD(shmbox_mbox_ctl, lock);
    FIELD(shmbox_mbox_ctl, peak);
    FIELD(shmbox_mbox_ctl, pend_op);
    FIELD(shmbox_mbox_ctl, pend_slot);
    FIELD(shmbox_mbox_ctl, pend_pos);
    FIELD(shmbox_mbox_ctl, sent);
    FIELD(shmbox_mbox_ctl, head_seen);
    FIELD(shmbox_mbox_ctl, pad0);
    FIELD(shmbox_mbox_ctl, tail);
    FIELD(shmbox_mbox_ctl, not_empty_sleepers);
    FIELD(shmbox_mbox_ctl, pad1);
    FIELD(shmbox_mbox_ctl, recv_lock);
    FIELD(shmbox_mbox_ctl, recv_pend_op);
    FIELD(shmbox_mbox_ctl, recv_pend_slot);
    FIELD(shmbox_mbox_ctl, recv_pend_pos);
    FIELD(shmbox_mbox_ctl, tail_seen);
    FIELD(shmbox_mbox_ctl, received);
    FIELD(shmbox_mbox_ctl, pad2);
    FIELD(shmbox_mbox_ctl, head);
    FIELD(shmbox_mbox_ctl, not_full_sleepers);
    FIELD(shmbox_mbox_ctl, pad3);

    struct_line("shmbox_mbox_entry", lay->entry_size, _Alignof(struct shmbox_mbox_entry));
    FIELD(shmbox_mbox_entry, len);
    FIELD(shmbox_mbox_entry, slot);
    field_line("data", (uint64_t)offsetof(struct shmbox_mbox_entry, data), cfg->msg_size);
}

/* The compact variant (<shmbox/format_compact.h>): control, then payload. */
static void compact(const struct shmbox_cfg_rec *cfg, const struct shmbox_format_layout *lay)
{
    printf("sections (absolute offset, size):\n");
    section("header", 0, lay->hdr_bytes);
    for (unsigned p = 0; p < cfg->pool_count; p++) {
        char name[32];
        snprintf(name, sizeof(name), "pool %u control", p);
        section(name, lay->pool_off[p], (uint64_t)sizeof(struct shmbox_cpool));
        section("  descriptors", lay->pool_off[p] + sizeof(struct shmbox_cpool),
                (uint64_t)cfg->slot_count[p] * sizeof(struct shmbox_cdesc));
    }
    section("mailbox controls", lay->mbox_off, (uint64_t)cfg->mbox_count * lay->mbox_stride);
    for (unsigned p = 0; p < cfg->pool_count; p++) {
        char name[32];
        snprintf(name, sizeof(name), "pool %u slots", p);
        section(name, lay->pool_off[p] + lay->pool_data_off[p], lay->pool_bytes[p]);
    }
    section("mailbox rings", lay->ring_off, (uint64_t)cfg->mbox_count * cfg->mbox_depth * lay->entry_size);
    section("end", lay->region_size, 0);
    printf("structures in the region (offsets and sizes in bytes):\n");
    struct_line("shmbox_chdr", sizeof(struct shmbox_chdr), _Alignof(struct shmbox_chdr));
    FIELD(shmbox_chdr, magic);
    FIELD(shmbox_chdr, init_state);
    FIELD(shmbox_chdr, layout_version);
    FIELD(shmbox_chdr, fingerprint);
    FIELD(shmbox_chdr, region_size);
    FIELD(shmbox_chdr, creator_pid);
    FIELD(shmbox_chdr, header_size);
    FIELD(shmbox_chdr, creator_token);
    FIELD(shmbox_chdr, cfg);
    FIELD(shmbox_chdr, attached);
    FIELD(shmbox_chdr, reserved0);
    struct_line("shmbox_cpool", sizeof(struct shmbox_cpool), _Alignof(struct shmbox_cpool));
    FIELD(shmbox_cpool, lock);
    FIELD(shmbox_cpool, free_head);
    FIELD(shmbox_cpool, used);
    FIELD(shmbox_cpool, peak);
    struct_line("shmbox_cdesc", sizeof(struct shmbox_cdesc), _Alignof(struct shmbox_cdesc));
    FIELD(shmbox_cdesc, next);
    FIELD(shmbox_cdesc, state);
    struct_line("shmbox_cmbox", sizeof(struct shmbox_cmbox), _Alignof(struct shmbox_cmbox));
    FIELD(shmbox_cmbox, lock);
    FIELD(shmbox_cmbox, head);
    FIELD(shmbox_cmbox, tail);
    FIELD(shmbox_cmbox, peak);
    FIELD(shmbox_cmbox, sent);
    FIELD(shmbox_cmbox, received);
    struct_line("shmbox_mbox_entry", lay->entry_size, _Alignof(struct shmbox_mbox_entry));
    FIELD(shmbox_mbox_entry, len);
    FIELD(shmbox_mbox_entry, slot);
    field_line("data", (uint64_t)offsetof(struct shmbox_mbox_entry, data), cfg->msg_size);
}

int main(void)
{
    struct shmbox_cfg_rec cfg;
    struct shmbox_format_layout lay;
    shmbox_config_record(&cfg);
    if (shmbox_format_check(&cfg, SHMBOX_FMT_PAGE_MIN, NULL, 0) != 0) {
        fprintf(stderr, "shmbox-layout: this build's configuration record breaks the format's rules\n");
        return 1;
    }
    shmbox_format_layout(&cfg, &lay);

    printf("shmbox region layout\n");
    printf("  layout version    %" PRIu32 "\n", cfg.layout_version);
    printf("  fingerprint       0x%016" PRIx64 "\n", shmbox_format_fingerprint(&cfg));
    printf("  region size       %" PRIu64 " bytes\n", lay.region_size);
    printf("  page size         %" PRIu32 "\n", cfg.page_size);
    printf("  pools             %" PRIu32 "\n", cfg.pool_count);
    for (unsigned p = 0; p < cfg.pool_count; p++)
        printf("    pool %u          %" PRIu32 " slots x %" PRIu32 " bytes\n", p, cfg.slot_count[p], cfg.slot_size[p]);
    printf("  mailboxes         %" PRIu32 " x %" PRIu32 " entries of %" PRIu32 " bytes\n", cfg.mbox_count,
           cfg.mbox_depth, cfg.msg_size);
    if (cfg.variant == SHMBOX_VARIANT_COMPACT) {
        printf("  variant           compact (a firmware-only region)\n");
        printf("  open handles      at most %" PRIu32 "\n", cfg.max_procs);
        compact(&cfg, &lay);
        return ferror(stdout) ? 1 : 0;
    }
    printf("  process table     %" PRIu32 " entries\n", cfg.max_procs);

    printf("sections (absolute offset, size):\n");
    section("header", 0, lay.hdr_bytes);
    section("  process table", (uint64_t)offsetof(struct shmbox_hdr, procs),
            (uint64_t)cfg.max_procs * sizeof(struct shmbox_proc));
    for (unsigned p = 0; p < cfg.pool_count; p++) {
        char name[32];
        uint64_t off = lay.pool_off[p];
        snprintf(name, sizeof(name), "pool %u", p);
        section(name, off, lay.pool_bytes[p]);
        section("  control", off, (uint64_t)sizeof(struct shmbox_pool_ctl));
        section("  descriptors", off + SHMBOX_FMT_POOL_DESC_OFF,
                (uint64_t)cfg.slot_count[p] * sizeof(struct shmbox_slot_desc));
        section("  slots", off + lay.pool_data_off[p], (uint64_t)cfg.slot_size[p] * cfg.slot_count[p]);
    }
    for (unsigned m = 0; m < cfg.mbox_count; m++) {
        char name[32];
        uint64_t off = lay.mbox_off + (uint64_t)m * lay.mbox_stride;
        snprintf(name, sizeof(name), "mailbox %u", m);
        section(name, off, lay.mbox_stride);
        section("  control", off, (uint64_t)sizeof(struct shmbox_mbox_ctl));
        section("  ring", off + SHMBOX_FMT_MBOX_RING_OFF, (uint64_t)cfg.mbox_depth * lay.entry_size);
    }
    section("end", lay.region_size, 0);
    printf("mailbox stride      %" PRIu64 ", ring offset %" PRIu64 ", entry %" PRIu64 " bytes\n", lay.mbox_stride,
           (uint64_t)SHMBOX_FMT_MBOX_RING_OFF, lay.entry_size);
    structs(&cfg, &lay);
    return ferror(stdout) ? 1 : 0;
}

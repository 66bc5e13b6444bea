#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerate tools/cli/shmbox.1 from its scdoc source (Debian package scdoc).
# The generated page is committed so that building and installing the tool
# need no scdoc; tests/cli/test_man.py checks that it is current.
set -eu
here=$(dirname "$0")
# The page's date is the manual's release date, not the day it was made
# (so that the page stays current with its source whatever today is).
SOURCE_DATE_EPOCH=$(cat "$here/shmbox.1.date") scdoc < "$here/shmbox.1.scd" > "$here/shmbox.1"

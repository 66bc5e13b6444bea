# SPDX-License-Identifier: MIT
# The archive that is installed: the library's objects linked into one
# relocatable object (cc -r) in which every symbol of hidden visibility is
# made local, so that only the public API (SHMBOX_API: default visibility)
# is left global. The library is compiled with -fvisibility=hidden: inside
# the in-tree archive the internal functions (sbx_*, shmbox_port_*) are
# still global to the linker, for the tests that call them; in this one
# they are not: `nm -g --defined-only` of it lists the public API only.
# KEEP (a regular expression) names hidden symbols that stay global all the
# same: the static port's weak hooks shmbox_static_*, which an application
# overrides with its own definitions.
#   cmake -DCC=... -DREADELF=... -DOBJCOPY=... -DAR=... -DLIB=libshmbox.a
#         -DOUT=export/libshmbox.a [-DKEEP=regex] -P export_archive.cmake
foreach(v CC READELF OBJCOPY AR LIB OUT)
  if(NOT ${v})
    message(FATAL_ERROR "export_archive.cmake: ${v} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "export_archive.cmake: failed (${rc}): ${cmd}\n${out}${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

get_filename_component(dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
set(obj "${dir}/shmbox.o")
# --unique: each member's code and data stay sections of their own (as in
# the archive), so a final link with --gc-sections drops what is not used
# and the sections' alignment adds no padding between members.
run(${CC} -r -nostdlib -o "${obj}" -Wl,--unique=.text* -Wl,--unique=.rodata* -Wl,--unique=.data*
    -Wl,--unique=.bss* -Wl,--whole-archive "${LIB}" -Wl,--no-whole-archive)

run(${READELF} -sW "${obj}")
string(REPLACE "\n" ";" lines "${run_out}")
set(hide "")
foreach(line IN LISTS lines)
  if(line MATCHES "^ *[0-9]+: +[0-9a-fA-F]+ +[0-9]+ +[A-Z_]+ +(GLOBAL|WEAK) +(HIDDEN|INTERNAL) +[0-9]+ +([^ ]+)$")
    set(name "${CMAKE_MATCH_3}")
    if(KEEP AND name MATCHES "${KEEP}")
      continue()
    endif()
    string(APPEND hide "${name}\n")
  endif()
endforeach()
file(WRITE "${dir}/localized.txt" "${hide}")
run(${OBJCOPY} --localize-symbols=${dir}/localized.txt "${obj}")
file(REMOVE "${OUT}")
run(${AR} rcs "${OUT}" "${obj}")

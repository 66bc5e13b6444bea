# SPDX-License-Identifier: MIT
# cmake -DNM=<nm> -DLIB=<libshmbox.a> [-DNO_GOT=1] -P nm_check.cmake
cmake_policy(SET CMP0057 NEW)
# Fails unless every symbol the archive needs from outside is the
# compiler's own runtime or a mem* function: the static port makes no
# operating system call and needs no C library beyond mem*.
execute_process(COMMAND ${NM} -u ${LIB} OUTPUT_VARIABLE und RESULT_VARIABLE rc1)
execute_process(COMMAND ${NM} --defined-only ${LIB} OUTPUT_VARIABLE def RESULT_VARIABLE rc2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIB}")
endif()
string(REGEX MATCHALL "[ \t]U [^\n]+" und "${und}")
string(REGEX MATCHALL " [A-Za-z] [^\n]+" def "${def}")
set(defined)
foreach(l IN LISTS def)
  string(REGEX REPLACE "^ [A-Za-z] " "" s "${l}")
  list(APPEND defined "${s}")
endforeach()
set(external)
foreach(l IN LISTS und)
  string(REGEX REPLACE "^[ \t]U " "" s "${l}")
  if(NOT s IN_LIST defined)
    list(APPEND external "${s}")
  endif()
endforeach()
list(REMOVE_DUPLICATES external)
list(SORT external)
# Compiler runtime: libgcc / compiler-rt helpers (__aeabi_*, __udivdi3,
# __atomic_* ...), the GOT of position-independent code. C library: mem*.
set(allowed "^(mem(cpy|move|set|cmp)|_GLOBAL_OFFSET_TABLE_|__aeabi_[a-z0-9_]+|__gnu_[a-z0-9_]+|__(u)?(div|mod|mul)[a-z]*[0-9]|__atomic_[a-z0-9_]+|__sync_[a-z0-9_]+)$")
set(bad)
foreach(s IN LISTS external)
  if(NOT s MATCHES "${allowed}")
    list(APPEND bad "${s}")
  endif()
endforeach()
# Bare metal (NO_GOT): the library is not position-independent, so it
# needs no global offset table either.
if(NO_GOT AND "_GLOBAL_OFFSET_TABLE_" IN_LIST external)
  list(APPEND bad "_GLOBAL_OFFSET_TABLE_ (position-independent code in a bare-metal library)")
endif()
string(REPLACE ";" " " shown "${external}")
message(STATUS "${LIB} needs from outside: ${shown}")
if(bad)
  string(REPLACE ";" " " bad "${bad}")
  message(FATAL_ERROR "not compiler runtime nor mem*: ${bad}")
endif()

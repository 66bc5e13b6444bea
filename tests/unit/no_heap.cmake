# SPDX-License-Identifier: MIT
# cmake -DNM=nm -DLIB=libshmbox.a -P no_heap.cmake
# Fails if the component library uses the heap: `nm -u` (the symbols it
# needs from elsewhere) must name no allocator.
cmake_minimum_required(VERSION 3.21)
set(forbidden malloc calloc realloc reallocarray free strdup strndup aligned_alloc posix_memalign memalign
              valloc pvalloc)
execute_process(COMMAND ${NM} -u ${LIB} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -u ${LIB} failed: ${err}")
endif()
string(REGEX MATCHALL "U [A-Za-z0-9_.@]+" undefined "${out}")
list(LENGTH undefined n)
if(n EQUAL 0)
  message(FATAL_ERROR "${NM} -u ${LIB} listed no undefined symbol: cannot judge")
endif()
set(found "")
foreach(u IN LISTS undefined)
  string(REGEX REPLACE "^U ([A-Za-z0-9_.]+).*$" "\\1" sym "${u}")
  if(sym IN_LIST forbidden)
    list(APPEND found ${sym})
  endif()
endforeach()
if(found)
  list(REMOVE_DUPLICATES found)
  message(FATAL_ERROR "the component uses the heap: ${found}")
endif()
list(REMOVE_DUPLICATES undefined)
message(STATUS "${LIB}: ${n} undefined references, none to ${forbidden}")

# Compiles SOURCE with -DCASE=<CASE> (syntax only) and checks the outcome:
# EXPECT=pass must compile; EXPECT=fail must not, and its diagnostics must
# match REGEX.
execute_process(
  COMMAND ${COMPILER} -std=c++20 -fsyntax-only -D_GNU_SOURCE -I${INCLUDE} -DCASE=${CASE} ${SOURCE}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(EXPECT STREQUAL "pass")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "control case did not compile:\n${err}")
  endif()
else()
  if(rc EQUAL 0)
    message(FATAL_ERROR "case ${CASE} of ${SOURCE} compiled, but must be rejected")
  endif()
  if(NOT "${out}${err}" MATCHES "${REGEX}")
    message(FATAL_ERROR "case ${CASE} failed to compile, but not for the expected reason "
                        "(no match for '${REGEX}'):\n${err}")
  endif()
  message(STATUS "rejected as expected (${REGEX})")
endif()

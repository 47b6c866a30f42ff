/*
 * fuzz.h — what every fuzz target defines.
 *
 * A target is one file, tests/fuzz/fuzz_<name>.c, with the libFuzzer
 * entry point.  make fuzz links it with libFuzzer (clang); make check
 * links it with replay.c, which feeds it tests/fuzz/regress/<name>/ and
 * tests/fuzz/corpus/<name>/, so that every crash once found stays fixed.
 * A target must not leak, exit or keep state from one input to the next.
 */
#ifndef REACH_FUZZ_H
#define REACH_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif

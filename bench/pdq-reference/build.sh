#!/bin/sh
# Builds Lapwing's timing driver (driver.cpp) against Meta's C++ PDQ reference,
# for `LAPWING_BENCH_PDQ_CPP=OUT_BINARY npm run bench -- pdq`.
#
#   bench/pdq-reference/build.sh PATH_TO_THREATEXCHANGE/pdq/cpp OUT_BINARY
#
# The reference's sources stay where you put them: nothing of Meta's is copied
# into Lapwing. Flags are the reference Makefile's optimised build (CCOPT):
# `g++ -g -std=c++11 -O3`, its include paths (-I<ThreatExchange root> -I<pdq/cpp>)
# and libraries (-lm -lpthread); its -Wall -Werror set is left out because it
# only concerns warnings. -std=c++11 matters for bit-exactness: in ISO mode g++
# does not contract a*b+c into FMA (and plain x86-64 has none to use).
# CXX and EXTRA_CXXFLAGS may be overridden.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 PATH_TO_THREATEXCHANGE_PDQ_CPP OUT_BINARY" >&2
  exit 2
fi
pdq=$(cd "$1" && pwd)
out=$2
here=$(cd "$(dirname "$0")" && pwd)
for f in hashing/pdqhashing.cpp downscaling/downscaling.cpp common/pdqhashtypes.cpp io/pdqio.cpp hashing/torben.cpp CImg.h; do
  if [ ! -f "$pdq/$f" ]; then
    echo "$pdq/$f is missing: give the pdq/cpp folder of a ThreatExchange checkout" >&2
    exit 1
  fi
done
CXX=${CXX:-g++}
set -x
# shellcheck disable=SC2086
"$CXX" -g -std=c++11 -O3 ${EXTRA_CXXFLAGS:-} \
  -I"$pdq/../.." -I"$pdq" \
  "$here/driver.cpp" \
  "$pdq/hashing/pdqhashing.cpp" "$pdq/hashing/torben.cpp" \
  "$pdq/downscaling/downscaling.cpp" "$pdq/common/pdqhashtypes.cpp" \
  "$pdq/io/pdqio.cpp" \
  -o "$out" -lm -lpthread

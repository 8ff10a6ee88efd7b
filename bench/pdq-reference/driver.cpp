// Lapwing's timing driver for Meta's C++ PDQ reference (ThreatExchange
// pdq/cpp). Our code, not Meta's: it only calls the reference's own
// functions, from headers found at build time (see build.sh). Nothing of the
// reference is committed to Lapwing.
//
// One long-lived process, driven by bench/pdq.ts over stdin/stdout so the
// two implementations can take turns in the same run without paying a
// process start per image. One command per line, one JSON line back:
//
//   pixels RAW_FILE WIDTH HEIGHT CHANNELS MODE DIHEDRAL REPS
//       RAW_FILE holds WIDTH*HEIGHT*CHANNELS bytes, row-major, interleaved
//       (CHANNELS 1 = grey, 3 = RGB), read once. Each of REPS iterations does
//       what the reference does for one image after decoding: (MODE
//       "reference" only, when a side is over 512) the CLI's nearest-neighbour
//       pre-resize to 512x512, allocate the two float buffers, fill the luma,
//       pdqHash256FromFloatLuma (or pdqDihedralHash256esFromFloatLuma when
//       DIHEDRAL is 1), format the hex hash.
//   file PATH MODE DIHEDRAL REPS
//       End to end from a file as pdq-photo-hasher does it: CImg load (CImg
//       runs ImageMagick's `convert FILE pnm:-` for JPEG/PNG/WebP/GIF, reads
//       BMP itself), the pre-resize in MODE "reference", luma, hash. CPU time
//       includes the `convert` child processes (RUSAGE_CHILDREN).
//   quit
//
// Reply: {"hash":..,"quality":..,"dihedral":[8 hashes]|null,"reps":..,
//         "cpuMs":median,"wallMs":median,"cpuMsMin":..,"wallMsMin":..}
// or {"error":"..."}. Times are per image: CPU from CLOCK_PROCESS_CPUTIME_ID
// (plus finished children for "file"), wall from CLOCK_MONOTONIC.

#include <pdq/cpp/common/pdqhashtypes.h>
#include <pdq/cpp/hashing/pdqhashing.h>
#include <pdq/cpp/io/pdqio.h>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using facebook::pdq::hashing::Hash256;

namespace {

const int REFERENCE_MAX_SIDE = 512; // pdq-photo-hasher's DOWNSAMPLE_DIMS

double clockMs(clockid_t clock) {
  timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

double childrenCpuMs() {
  rusage usage;
  getrusage(RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
      (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Result {
  Hash256 hashes[8];
  int quality = 0;
};

// The eight dihedral outputs, in the order Lapwing and the test pack name them:
// orig, rot90, rot180, rot270, flipx, flipy, flipp, flipm.
void hashLuma(float* luma, int rows, int cols, bool dihedral, Result& out) {
  // Uninitialised, as pdqio.cpp allocates it (a std::vector would zero it).
  std::unique_ptr<float[]> scratch(new float[static_cast<size_t>(rows) * cols]);
  float buffer64x64[64][64];
  float buffer16x64[16][64];
  float buffer16x16[16][16];
  float buffer16x16Aux[16][16];
  if (dihedral) {
    Hash256* h = out.hashes;
    facebook::pdq::hashing::pdqDihedralHash256esFromFloatLuma(
        luma, scratch.get(), rows, cols, buffer64x64, buffer16x64,
        buffer16x16, buffer16x16Aux, &h[0], &h[1], &h[2], &h[3], &h[4], &h[5],
        &h[6], &h[7], out.quality);
  } else {
    facebook::pdq::hashing::pdqHash256FromFloatLuma(
        luma, scratch.get(), rows, cols, buffer64x64, buffer16x64,
        buffer16x16, out.hashes[0], out.quality);
  }
}

// The CLI's pre-resize, CImg's default resize(512,512): nearest neighbour,
// out[y][x] = in[floor(y*H/512)][floor(x*W/512)].
std::vector<uint8_t> preResize(const std::vector<uint8_t>& in, int width,
                               int height, int channels) {
  const int side = REFERENCE_MAX_SIDE;
  std::vector<uint8_t> out(static_cast<size_t>(side) * side * channels);
  for (int y = 0; y < side; y++) {
    const size_t srcRow = static_cast<size_t>(
        (static_cast<long long>(y) * height) / side) * width;
    for (int x = 0; x < side; x++) {
      const size_t src = (srcRow + (static_cast<long long>(x) * width) / side) * channels;
      const size_t dst = (static_cast<size_t>(y) * side + x) * channels;
      for (int c = 0; c < channels; c++) out[dst + c] = in[src + c];
    }
  }
  return out;
}

void hashPixels(const std::vector<uint8_t>& pixels, int width, int height,
                int channels, bool referenceMode, bool dihedral, Result& out,
                std::string& hex) {
  const std::vector<uint8_t>* source = &pixels;
  std::vector<uint8_t> resized;
  if (referenceMode && (width > REFERENCE_MAX_SIDE || height > REFERENCE_MAX_SIDE)) {
    resized = preResize(pixels, width, height, channels);
    source = &resized;
    width = height = REFERENCE_MAX_SIDE;
  }
  std::unique_ptr<float[]> luma(new float[static_cast<size_t>(width) * height]);
  uint8_t* base = const_cast<uint8_t*>(source->data());
  if (channels == 3) {
    facebook::pdq::hashing::fillFloatLumaFromRGB(
        base, base + 1, base + 2, height, width, width * 3, 3, luma.get());
  } else {
    facebook::pdq::hashing::fillFloatLumaFromGrey(
        base, height, width, width, 1, luma.get());
  }
  hashLuma(luma.get(), height, width, dihedral, out);
  hex = out.hashes[0].format();
}

void hashFile(const std::string& path, bool referenceMode, bool dihedral,
              Result& out, std::string& hex) {
  cimg_library::CImg<uint8_t> image;
  image.load(path.c_str());
  if (referenceMode && (image.height() > REFERENCE_MAX_SIDE || image.width() > REFERENCE_MAX_SIDE)) {
    image = image.resize(REFERENCE_MAX_SIDE, REFERENCE_MAX_SIDE);
  }
  int rows = 0;
  int cols = 0;
  float* luma = facebook::pdq::hashing::loadFloatLumaFromCImg(image, rows, cols);
  hashLuma(luma, rows, cols, dihedral, out);
  delete[] luma;
  hex = out.hashes[0].format();
}

std::string jsonError(const std::string& message) {
  return "{\"error\":\"" + message + "\"}";
}

template <typename Run>
std::string timeReps(int reps, bool countChildren, bool dihedral, Run run) {
  std::vector<double> cpu;
  std::vector<double> wall;
  Result result;
  std::string hex;
  for (int i = 0; i < reps; i++) {
    const double w0 = clockMs(CLOCK_MONOTONIC);
    const double c0 = clockMs(CLOCK_PROCESS_CPUTIME_ID) + (countChildren ? childrenCpuMs() : 0);
    run(result, hex);
    const double c1 = clockMs(CLOCK_PROCESS_CPUTIME_ID) + (countChildren ? childrenCpuMs() : 0);
    const double w1 = clockMs(CLOCK_MONOTONIC);
    cpu.push_back(c1 - c0);
    wall.push_back(w1 - w0);
  }
  std::ostringstream json;
  json << "{\"hash\":\"" << hex << "\",\"quality\":" << result.quality << ",\"dihedral\":";
  if (dihedral) {
    json << "[";
    for (int i = 0; i < 8; i++) json << (i ? "," : "") << "\"" << result.hashes[i].format() << "\"";
    json << "]";
  } else {
    json << "null";
  }
  json << ",\"reps\":" << reps << ",\"cpuMs\":" << median(cpu) << ",\"wallMs\":" << median(wall)
       << ",\"cpuMsMin\":" << *std::min_element(cpu.begin(), cpu.end())
       << ",\"wallMsMin\":" << *std::min_element(wall.begin(), wall.end()) << "}";
  return json.str();
}

std::string runCommand(const std::string& line) {
  std::istringstream in(line);
  std::string command;
  in >> command;
  if (command == "pixels") {
    std::string path, mode;
    int width = 0, height = 0, channels = 0, dihedral = 0, reps = 0;
    if (!(in >> path >> width >> height >> channels >> mode >> dihedral >> reps) || reps < 1 ||
        (channels != 1 && channels != 3) || width < 1 || height < 1) {
      return jsonError("usage: pixels RAW_FILE WIDTH HEIGHT CHANNELS MODE DIHEDRAL REPS");
    }
    std::ifstream file(path, std::ios::binary);
    std::vector<uint8_t> pixels((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (pixels.size() < static_cast<size_t>(width) * height * channels) {
      return jsonError("raw file shorter than WIDTH*HEIGHT*CHANNELS");
    }
    const bool referenceMode = mode == "reference";
    return timeReps(reps, false, dihedral != 0, [&](Result& result, std::string& hex) {
      hashPixels(pixels, width, height, channels, referenceMode, dihedral != 0, result, hex);
    });
  }
  if (command == "file") {
    std::string path, mode;
    int dihedral = 0, reps = 0;
    if (!(in >> path >> mode >> dihedral >> reps) || reps < 1) {
      return jsonError("usage: file PATH MODE DIHEDRAL REPS");
    }
    const bool referenceMode = mode == "reference";
    try {
      return timeReps(reps, true, dihedral != 0, [&](Result& result, std::string& hex) {
        hashFile(path, referenceMode, dihedral != 0, result, hex);
      });
    } catch (const cimg_library::CImgException&) {
      return jsonError("CImg could not load the file (for JPEG, PNG, WebP and GIF it runs ImageMagick's convert)");
    }
  }
  return jsonError("unknown command");
}

} // namespace

int main() {
  // CImg prints its warnings and errors itself; keep stdout for JSON only.
  cimg_library::cimg::exception_mode(0);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    if (line == "quit") break;
    std::cout << runCommand(line) << std::endl;
  }
  return 0;
}

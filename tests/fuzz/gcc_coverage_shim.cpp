// g++'s -fsanitize-coverage=trace-cmp also reports floating-point comparisons, which libFuzzer
// (written for clang) has no hooks for; they carry no guidance it could use, so they do nothing.
extern "C" {
void __sanitizer_cov_trace_cmpf(float, float) {}
void __sanitizer_cov_trace_cmpd(double, double) {}
}

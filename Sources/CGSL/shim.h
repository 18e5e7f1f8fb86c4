#ifndef CRMCASE_CGSL_SHIM_H
#define CRMCASE_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_hyperg.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_version.h>
#include <gsl/gsl_qrng.h>

/* Swift 6 refuses to read mutable C globals such as gsl_rng_mt19937 (they are not
   concurrency-safe as far as Swift knows). These accessors return the generator
   descriptions, which GSL never mutates. */
static inline const gsl_rng_type *crmcase_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *crmcase_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_root_fsolver_type *crmcase_root_brent(void) { return gsl_root_fsolver_brent; }
static inline const gsl_multiroot_fsolver_type *crmcase_multiroot_hybrids(void) { return gsl_multiroot_fsolver_hybrids; }
static inline const gsl_multimin_fminimizer_type *crmcase_multimin_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }
static inline const char *crmcase_gsl_version(void) { return gsl_version; }
static inline const gsl_qrng_type *crmcase_qrng_sobol(void) { return gsl_qrng_sobol; }

/* A counter-based generator in GSL's generator interface, so GSL's own samplers
   (gsl_ran_binomial, gsl_ran_poisson, ...) can draw from a stream that is restarted from a
   full 64-bit key for every (trial, segment, month, draw) at almost no cost: output n of key k
   is the SplitMix64 finaliser of k xor SplitMix64(n) (Steele, Lea & Flood 2014). Restarting per
   draw keeps the draws of two scenarios that differ in one parameter aligned (common random
   numbers), which a single long stream would lose at the first draw that used more uniforms. */
typedef struct { unsigned long long key; unsigned long long counter; } crmcase_counter_state;

static inline unsigned long long crmcase_mix64(unsigned long long z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static void crmcase_counter_set(void *vstate, unsigned long int seed) {
    crmcase_counter_state *state = (crmcase_counter_state *)vstate;
    state->key = crmcase_mix64((unsigned long long)seed);
    state->counter = 0;
}
static unsigned long int crmcase_counter_get(void *vstate) {
    crmcase_counter_state *state = (crmcase_counter_state *)vstate;
    state->counter++;
    return (unsigned long int)(crmcase_mix64(state->key ^ crmcase_mix64(state->counter)) >> 32);
}
static double crmcase_counter_get_double(void *vstate) {
    crmcase_counter_state *state = (crmcase_counter_state *)vstate;
    state->counter++;
    unsigned long long bits = crmcase_mix64(state->key ^ crmcase_mix64(state->counter)) >> 12;
    return ((double)bits + 0.5) * 0x1p-52;
}
static const gsl_rng_type crmcase_counter_type = {
    "crmcase-counter", 0xffffffffUL, 0, sizeof(crmcase_counter_state),
    &crmcase_counter_set, &crmcase_counter_get, &crmcase_counter_get_double
};
static inline const gsl_rng_type *crmcase_rng_counter(void) { return &crmcase_counter_type; }

#endif

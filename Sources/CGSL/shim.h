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

#endif

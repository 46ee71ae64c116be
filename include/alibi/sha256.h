/* sha256.h — SHA-256 for source identity (re-importing the same bytes is a
 * no-op) and for evidence checks in case repositories. */
#ifndef ALIBI_SHA256_H
#define ALIBI_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include "alibi/error.h"

struct sha256 {
	uint32_t state[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t used;
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t n);
void sha256_final(struct sha256 *h, unsigned char digest[32]);

/* Where the CPU has SHA instructions (x86 SHA-NI) they are used; on = 0
 * forces the portable code (tests compare the two).  Returns whether the
 * instructions were in use before the call. */
int sha256_use_hardware(int on);

/* Lower-case hex of data's digest; hex must hold 65 bytes. */
void sha256_hex(const void *data, size_t n, char hex[65]);

/* Hashes a file by streaming it.  *bytes (may be NULL) gets its size. */
int sha256_file(const char *path, char hex[65], uint64_t *bytes,
                struct alibi_error *err);

#endif

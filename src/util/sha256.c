/* sha256.c — SHA-256 as specified in FIPS 180-4 (see alibi/sha256.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/sha256.h"

#define SHA256_FILE_CHUNK (64 * 1024)

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t
rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t
load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
store_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* FIPS 180-4 §6.2.2: one 512-bit block. */
static void
sha256_compress(uint32_t state[8], const unsigned char block[64])
{
	uint32_t w[64];
	for (int t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
	for (int t = 0; t < 64; t++) {
		uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
		              sha256_k[t] + w[t];
		uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
}

/* ---- the x86 SHA extensions (SHA-NI) ----
 *
 * Hashing a 100 MB log with the portable rounds above takes longer than
 * parsing it; the CPU's own SHA-256 instructions do the same work about
 * ten times faster.  They are used only where CPUID says they exist. */
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define SHA256_HAVE_NI 1

#define SHA256_NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* The instructions keep the state as two vectors, (A,B,E,F) and (C,D,G,H),
 * highest lane first; state[] is A..H. */
SHA256_NI_TARGET static void
sha256_ni_blocks(uint32_t state[8], const unsigned char *p, size_t nblocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i abcd = _mm_loadu_si128((const __m128i *)(const void *)state);
	__m128i efgh = _mm_loadu_si128((const __m128i *)(const void *)(state + 4));
	__m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
	__m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
	__m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
	__m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);
	for (; nblocks; nblocks--, p += 64) {
		__m128i save_abef = abef, save_cdgh = cdgh;
		__m128i m[4];
		for (int i = 0; i < 4; i++)
			m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)),
			                        bswap);
		/* 16 groups of 4 rounds; from group 4 on, m[g & 3] holds the words
		 * of group g - 4 and is replaced by those of group g. */
		for (int g = 0; g < 16; g++) {
			__m128i w = m[g & 3];
			if (g >= 4) {
				__m128i prev = m[(g + 3) & 3];
				__m128i t = _mm_sha256msg1_epu32(w, m[(g + 1) & 3]);
				t = _mm_add_epi32(t, _mm_alignr_epi8(prev, m[(g + 2) & 3], 4));
				w = _mm_sha256msg2_epu32(t, prev);
				m[g & 3] = w;
			}
			__m128i wk = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)(const void *)
			                                              (sha256_k + 4 * g)));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
		}
		abef = _mm_add_epi32(abef, save_abef);
		cdgh = _mm_add_epi32(cdgh, save_cdgh);
	}
	__m128i feba = _mm_shuffle_epi32(abef, 0x1B);
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
	_mm_storeu_si128((__m128i *)(void *)state, _mm_blend_epi16(feba, dchg, 0xF0));
	_mm_storeu_si128((__m128i *)(void *)(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

static int
sha256_cpu_has_ni(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return 0;
	if (__get_cpuid_max(0, NULL) < 7 || !__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b >> 29) & 1;  /* CPUID.(EAX=7,ECX=0):EBX.SHA */
}
#else
#define SHA256_HAVE_NI 0
#endif

/* -1 not yet asked, 0 portable, 1 SHA-NI. */
static int sha256_mode = -1;

static int
sha256_hardware(void)
{
	if (sha256_mode < 0) {
#if SHA256_HAVE_NI
		sha256_mode = sha256_cpu_has_ni();
#else
		sha256_mode = 0;
#endif
	}
	return sha256_mode;
}

int
sha256_use_hardware(int on)
{
	int was = sha256_hardware();
	sha256_mode = on && SHA256_HAVE_NI ? -1 : 0;
	(void)sha256_hardware();
	return was;
}

static void
sha256_blocks(uint32_t state[8], const unsigned char *p, size_t nblocks)
{
#if SHA256_HAVE_NI
	if (sha256_hardware()) {
		sha256_ni_blocks(state, p, nblocks);
		return;
	}
#endif
	for (; nblocks; nblocks--, p += 64)
		sha256_compress(state, p);
}

void
sha256_init(struct sha256 *h)
{
	/* FIPS 180-4 §5.3.3: square roots of the first 8 primes. */
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(h->state, iv, sizeof iv);
	h->bytes = 0;
	h->used = 0;
}

void
sha256_update(struct sha256 *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	if (!n)
		return;  /* data may be NULL then */
	h->bytes += n;
	if (h->used) {
		size_t take = 64 - h->used < n ? 64 - h->used : n;
		memcpy(h->block + h->used, p, take);
		h->used += take;
		p += take;
		n -= take;
		if (h->used < 64)
			return;
		sha256_blocks(h->state, h->block, 1);
		h->used = 0;
	}
	sha256_blocks(h->state, p, n / 64);
	p += n / 64 * 64;
	n %= 64;
	if (n)
		memcpy(h->block, p, n);
	h->used = n;
}

void
sha256_final(struct sha256 *h, unsigned char digest[32])
{
	/* §5.1.1: a 1 bit, zeros, then the message length in bits (64-bit BE). */
	uint64_t bits = h->bytes * 8;
	h->block[h->used++] = 0x80;
	if (h->used > 56) {
		memset(h->block + h->used, 0, 64 - h->used);
		sha256_blocks(h->state, h->block, 1);
		h->used = 0;
	}
	memset(h->block + h->used, 0, 56 - h->used);
	store_be32(h->block + 56, (uint32_t)(bits >> 32));
	store_be32(h->block + 60, (uint32_t)bits);
	sha256_blocks(h->state, h->block, 1);
	for (int i = 0; i < 8; i++)
		store_be32(digest + 4 * i, h->state[i]);
	h->used = 0;
}

static void
digest_to_hex(const unsigned char digest[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

void
sha256_hex(const void *data, size_t n, char hex[65])
{
	struct sha256 h;
	unsigned char digest[32];
	sha256_init(&h);
	sha256_update(&h, data, n);
	sha256_final(&h, digest);
	digest_to_hex(digest, hex);
}

int
sha256_file(const char *path, char hex[65], uint64_t *bytes, struct alibi_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return alibi_error_set(err, ALIBI_EIO, "%s: %s", path, strerror(errno));
	unsigned char *buf = xmalloc(SHA256_FILE_CHUNK);
	struct sha256 h;
	sha256_init(&h);
	size_t got;
	while ((got = fread(buf, 1, SHA256_FILE_CHUNK, fp)) > 0)
		sha256_update(&h, buf, got);
	int failed = ferror(fp);
	int saved = errno;
	free(buf);
	fclose(fp);
	if (failed)
		return alibi_error_set(err, ALIBI_EIO, "%s: %s", path, strerror(saved));
	unsigned char digest[32];
	sha256_final(&h, digest);
	digest_to_hex(digest, hex);
	if (bytes)
		*bytes = h.bytes;
	return ALIBI_OK;
}

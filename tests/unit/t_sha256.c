/* t_sha256.c — SHA-256 against the FIPS 180-4 example vectors, padding
 * boundaries, streaming in pieces, and file hashing. */
#include "unit.h"

#include "alibi/sha256.h"

static const char *
hex_of(const char *s, size_t n, char hex[65])
{
	sha256_hex(s, n, hex);
	return hex;
}

static void
test_known_vectors(void)
{
	char hex[65];
	CHECK_STR(hex_of("", 0, hex),
	          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_STR(hex_of("abc", 3, hex),
	          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *v448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	CHECK_STR(hex_of(v448, strlen(v448), hex),
	          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	const char *v896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	                   "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	CHECK_STR(hex_of(v896, strlen(v896), hex),
	          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void
test_null_data_with_zero_length(void)
{
	char hex[65];
	sha256_hex(NULL, 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_one_million_a(void)
{
	struct sha256 h;
	unsigned char digest[32];
	char chunk[1000];
	memset(chunk, 'a', sizeof chunk);
	sha256_init(&h);
	for (int i = 0; i < 1000; i++)
		sha256_update(&h, chunk, sizeof chunk);
	sha256_final(&h, digest);
	CHECK_INT(digest[0], 0xcd);
	CHECK_INT(digest[31], 0xd0);
	char *big = malloc(1000000);
	CHECK(big != NULL);
	if (!big)
		return;
	memset(big, 'a', 1000000);
	char hex[65];
	CHECK_STR(hex_of(big, 1000000, hex),
	          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(big);
}

/* Lengths around the 55/56/64-byte padding boundaries. */
static void
test_padding_boundaries(void)
{
	static const struct { size_t n; const char *hex; } want[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
		{ 128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e" },
	};
	char a[128], hex[65];
	memset(a, 'a', sizeof a);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		CHECK_STR(hex_of(a, want[i].n, hex), want[i].hex);
}

/* Any way of cutting the input into pieces gives the same digest. */
static void
test_streaming_in_pieces(void)
{
	const char *msg = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	                  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	size_t n = strlen(msg);
	char whole[65], pieces[65];
	sha256_hex(msg, n, whole);
	for (size_t step = 1; step <= 70; step++) {
		struct sha256 h;
		unsigned char digest[32];
		sha256_init(&h);
		for (size_t off = 0; off < n; off += step)
			sha256_update(&h, msg + off, off + step <= n ? step : n - off);
		sha256_update(&h, NULL, 0);
		sha256_final(&h, digest);
		for (int i = 0; i < 32; i++)
			snprintf(pieces + 2 * i, 3, "%02x", digest[i]);
		if (strcmp(pieces, whole) != 0) {
			CHECK_STR(pieces, whole);
			break;
		}
	}
}

static void
test_file_hash_matches_memory_hash(void)
{
	char dir[256], path[300];
	CHECK(unit_tmpdir(dir, sizeof dir) != NULL);
	snprintf(path, sizeof path, "%s/data.bin", dir);
	/* 300 * 256 bytes: more than one 64 KiB read, with NUL bytes. */
	size_t n = 256 * 300;
	unsigned char *data = malloc(n);
	CHECK(data != NULL);
	if (!data)
		return;
	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)i;
	FILE *fp = fopen(path, "wb");
	CHECK(fp != NULL);
	if (fp) {
		CHECK_INT(fwrite(data, 1, n, fp), n);
		fclose(fp);
	}
	char hex[65] = "", mem[65];
	uint64_t bytes = 0;
	struct alibi_error err = { 0 };
	CHECK_INT(sha256_file(path, hex, &bytes, &err), ALIBI_OK);
	CHECK_INT(bytes, n);
	sha256_hex(data, n, mem);
	CHECK_STR(hex, mem);
	CHECK_STR(hex, "f8b0585eb91f58c007a5634362c9f90d8543822c113f702523bc7b73408a9392");
	CHECK_INT(sha256_file(path, hex, NULL, NULL), ALIBI_OK);
	free(data);
	unlink(path);
	rmdir(dir);
}

static void
test_empty_file(void)
{
	char dir[256], path[300];
	CHECK(unit_tmpdir(dir, sizeof dir) != NULL);
	snprintf(path, sizeof path, "%s/empty", dir);
	FILE *fp = fopen(path, "wb");
	CHECK(fp != NULL);
	if (fp)
		fclose(fp);
	char hex[65];
	uint64_t bytes = 99;
	CHECK_INT(sha256_file(path, hex, &bytes, NULL), ALIBI_OK);
	CHECK_INT(bytes, 0);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	unlink(path);
	rmdir(dir);
}

static void
test_missing_file_is_an_io_error(void)
{
	char hex[65];
	struct alibi_error err = { 0 };
	CHECK_INT(sha256_file("/nonexistent/alibi/file", hex, NULL, &err), ALIBI_EIO);
	CHECK_INT(err.code, ALIBI_EIO);
	CHECK(strstr(err.msg, "/nonexistent/alibi/file") != NULL);
	/* A directory opens but cannot be read. */
	char dir[256];
	CHECK(unit_tmpdir(dir, sizeof dir) != NULL);
	CHECK_INT(sha256_file(dir, hex, NULL, &err), ALIBI_EIO);
	CHECK(strstr(err.msg, dir) != NULL);
	rmdir(dir);
}

/* The CPU's SHA instructions and the portable rounds agree on every
 * length and alignment (where the CPU has none, both runs are portable). */
static void
test_hardware_matches_portable(void)
{
	size_t n = 70000;
	unsigned char *data = malloc(n + 1);
	CHECK(data != NULL);
	if (!data)
		return;
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < n + 1; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		data[i] = (unsigned char)x;
	}
	static const size_t lens[] = { 0, 1, 55, 63, 64, 65, 127, 128, 129, 1000, 4096, 70000 };
	int had = sha256_use_hardware(1);
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		for (size_t off = 0; off < 2; off++) {
			char hw[65], sw[65];
			sha256_use_hardware(1);
			sha256_hex(data + off, lens[i] - (lens[i] && off), hw);
			sha256_use_hardware(0);
			sha256_hex(data + off, lens[i] - (lens[i] && off), sw);
			CHECK_STR(hw, sw);
		}
	}
	sha256_use_hardware(had);
	free(data);
}

static void
run_all(void)
{
	RUN(test_known_vectors);
	RUN(test_null_data_with_zero_length);
	RUN(test_one_million_a);
	RUN(test_padding_boundaries);
	RUN(test_streaming_in_pieces);
	RUN(test_file_hash_matches_memory_hash);
	RUN(test_empty_file);
	RUN(test_missing_file_is_an_io_error);
}

int
main(void)
{
	/* Every vector once with the CPU's instructions (where it has them)
	 * and once with the portable code. */
	int had = sha256_use_hardware(1);
	run_all();
	sha256_use_hardware(0);
	run_all();
	sha256_use_hardware(had);
	RUN(test_hardware_matches_portable);
	return unit_done();
}

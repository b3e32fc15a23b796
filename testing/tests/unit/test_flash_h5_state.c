/*
 * Unit tests of the STM32H5 flash model's scenario keys and state JSON
 * (testing/sim/flash_h5_scenario.c, flash_h5_contents.c, flash_h5_json.c):
 * option fields by name, flash.fill / flash.load / flash.ecc_error /
 * otp.fill, the DA credentials (obk.da_password, obk.da_cert with a
 * certificate made here with OpenSSL, obk.da_permissions, otp.da_password),
 * every error naming its line, and the JSON keys and values.
 */
#include "flash_h5_testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static char json[1 << 17];
static char section_buf[1 << 14];
static char dir[256];

static int setup_dir(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test_flash_h5_state.%ld", (long)getpid());
	return mkdir(dir, 0700) == 0 ? 0 : -1;
}

/* The files the tests write, then the directory. */
static int remove_dir(void **state)
{
	static const char *const names[] = { "img.bin", "empty.bin", "root.pem", "junk.pem", "ok.pem" };
	char path[400];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	return rmdir(dir) == 0 ? 0 : -1;
}

static void write_file(const char *name, const void *data, size_t len)
{
	char path[400];
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(data, 1, len, out), len);
	fclose(out);
}

/* Apply a scenario that lives in the temporary directory. */
static int apply_in_dir(flash_h5 *f, const char *text)
{
	char name[300];

	snprintf(name, sizeof(name), "%s/t.scn", dir);
	return h5_apply(f, text, name);
}

static void expect_error(uint16_t dev_id, unsigned kib, const char *text, const char *needle)
{
	flash_h5 *f = h5_create(dev_id, kib);

	assert_int_equal(apply_in_dir(f, text), -1);
	if (!strstr(h5_err, needle))
		fail_msg("error '%s' does not contain '%s'", h5_err, needle);
	flash_h5_destroy(f);
}

static const char *to_json(const flash_h5 *f)
{
	FILE *out = fmemopen(json, sizeof(json) - 1, "w");
	json_out j;

	assert_non_null(out);
	memset(json, 0, sizeof(json));
	json_init(&j, out);
	json_begin_object(&j, NULL);
	flash_h5_write_json(f, &j);
	json_end_object(&j);
	json_finish(&j);
	fclose(out);
	return json;
}

/* The text of the object `"key": {...}` (first occurrence) in the last JSON. */
static const char *section(const char *key)
{
	char pattern[80];
	const char *p;
	int depth = 0;
	size_t n = 0;

	snprintf(pattern, sizeof(pattern), "\"%s\": {", key);
	p = strstr(json, pattern);
	assert_non_null(p);
	p += strlen(pattern) - 1;
	do {
		depth += *p == '{';
		depth -= *p == '}';
		section_buf[n++] = *p++;
	} while (depth > 0 && n < sizeof(section_buf) - 1);
	section_buf[n] = '\0';
	return section_buf;
}

static void expect_in(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("'%s' not found in:\n%s", needle, text);
}

static void sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[32];
	unsigned int n = 0;

	assert_int_equal(EVP_Digest(data, len, md, &n, EVP_sha256(), NULL), 1);
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* ------------------------------------------------------ option fields -- */

static void test_option_fields(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "PRODUCT_STATE = 0x17\nNSBOOTADD = 0x08010000\nBOR_LEV = 2\n"
				 "WRPSG1 = 0xf\nSECBOOTADD = 0x0c0100\nLOCKBL = 0x80000000\n");

	assert_int_equal(h5_rd(f, OPTSR_CUR), 0x2d3017da);
	assert_int_equal(h5_rd(f, OPTSR_PRG), 0x2d3017da);
	assert_int_equal(h5_rd(f, NSBOOTR_CUR), 0x080100c3);
	assert_int_equal(h5_rd(f, SECBOOTR_PRG), 0x0c0100c3);
	assert_int_equal(h5_rd(f, WRP1R_CUR), 0xf);
	assert_int_equal(h5_rd(f, OTPBLR_CUR), 0x80000000);
	assert_int_equal(flash_h5_product_state(f), H5PS_PROVISIONING);
	assert_int_equal(flash_h5_boot_address(f), 0x08010000);
	assert_int_equal(h5_rd(f, SECWM1R_CUR), 1); /* TZ off: watermarks stay disabled */
	flash_h5_destroy(f);
	f = h5_make(0x484, 1024, "TZEN = 0xB4\nSECWM2_STRT = 2\nSECWM2_END = 3\n");
	assert_int_equal(h5_rd(f, SECWM1R_CUR), 0x003f0000); /* TZ on, not given: the whole bank */
	assert_int_equal(h5_rd(f, SECWM2R_CUR), 0x00030002);
	assert_int_equal(flash_h5_boot_address(f), 0x0c000000);
	flash_h5_destroy(f);
	f = h5_make(0x474, 128, "WRPSG2 = 0x7f\nHDP1_STRT = 0\nHDP1_END = 2\n");
	assert_int_equal(h5_rd(f, WRP2R_CUR), 0x7f);
	assert_int_equal(h5_rd(f, HDP1R_CUR), 0x00020000);
	flash_h5_destroy(f);
}

static void test_option_field_errors(void **state)
{
	expect_error(0x474, 128, "BOR_LEV = 1\nTZEN = 0xB4\n", "t.scn:2: TZEN: no such option field on STM32H503");
	expect_error(0x474, 128, "SECWM1_END = 1\n", "no such option field");
	expect_error(0x484, 2048, "TZEN = 0x12\n", "neither 0xB4 nor 0xC3");
	expect_error(0x484, 2048, "NSBOOT_LOCK = 0\n", "neither 0xB4 nor 0xC3");
	expect_error(0x484, 2048, "PRODUCT_STATE = 0x18\n", "is not a PRODUCT_STATE code");
	expect_error(0x484, 2048, "BOR_LEV = 4\n", "does not fit");
	expect_error(0x484, 2048, "HDP1_END = 0x80\n", "does not fit");
	expect_error(0x474, 128, "WRPSG1 = 0x100\n", "does not fit");
	expect_error(0x484, 2048, "NSBOOTADD = 0x08000010\n", "not 256-byte aligned");
	expect_error(0x484, 2048, "BOR_LEV = 1\n\nBOR_LEV = 2\n", "t.scn:3: BOR_LEV: option field given twice");
	expect_error(0x484, 2048, "BOR_LEV = 01\n", "leading zero");
	expect_error(0x484, 2048, "BOR_LEV = one\n", "not a number");
}

/* ----------------------------------------------------------- contents -- */

static void test_fill_load_and_ecc(void **state)
{
	static const uint8_t image[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	flash_h5 *f = h5_create(0x484, 2048), *g = h5_create(0x484, 2048);
	char h1[65], h2[65];

	write_file("img.bin", image, sizeof(image));
	if (apply_in_dir(f, "flash.fill = 0x08000000 0x40 0xa5\nflash.fill = 0x08000010 0x10 erased\n"
			 "flash.load = 0x0c100000 img.bin\nflash.fill = 0x08010000 4K random:7\n"
			 "flash.ecc_error = 0x0bfd0010\nflash.ecc_error = 0x08fff002\n"
			 "otp.fill = 0x08fff100 6 0x3c\n") != 0)
		fail_msg("%s", h5_err);
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xa5a5a5a5);
	assert_int_equal(h5_mem(f, 0x08000010, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x08100000, false, SIM_BUS_OK), 0x04030201);
	assert_int_equal(h5_mem(f, 0x08100010, false, SIM_BUS_OK), 0x14131211);
	assert_int_equal(h5_mem(f, 0x08100014, false, SIM_BUS_OK), 0xffffffff); /* rest of the last quad-word */
	h5_mem(f, 0x0bfd0014, false, SIM_BUS_FAULT);
	assert_int_equal(h5_rd(f, ECCDETR), ECCD | (1u << 20) | 1); /* OBK, quad-word 1 */
	h5_wr(f, ECCDETR, ECCD);
	h5_mem(f, 0x08fff000, false, SIM_BUS_FAULT);
	assert_int_equal(h5_rd(f, ECCDETR), ECCD | (1u << 24) | 1); /* OTP, half-word 1 */
	assert_int_equal(h5_mem(f, 0x08fff104, false, SIM_BUS_OK), 0xffff3c3c);
	/* random:SEED is reproducible. */
	if (h5_apply(g, "flash.fill = 0x08010000 4K random:7\n", "u.scn") != 0)
		fail_msg("%s", h5_err);
	to_json(f);
	snprintf(h1, sizeof(h1), "%s", strstr(json, "\"bank1\": \"") + 10);
	to_json(g);
	snprintf(h2, sizeof(h2), "%s", strstr(json, "\"bank1\": \"") + 10);
	assert_string_not_equal(h1, h2); /* f has more in bank 1 */
	assert_int_equal(h5_mem(f, 0x08010ffc, false, SIM_BUS_OK), h5_mem(g, 0x08010ffc, false, SIM_BUS_OK));
	assert_int_not_equal(h5_mem(g, 0x08010000, false, SIM_BUS_OK), h5_mem(g, 0x08010004, false, SIM_BUS_OK));
	flash_h5_destroy(f);
	flash_h5_destroy(g);
}

static void test_content_errors(void **state)
{
	write_file("empty.bin", "", 0);
	expect_error(0x484, 2048, "flash.fill = 0x08000000 0x10\n", "expected 'ADDR LEN PATTERN'");
	expect_error(0x484, 2048, "flash.fill = 0x08000000 0x10 0x1 0x2\n", "expected 'ADDR LEN PATTERN'");
	expect_error(0x484, 2048, "flash.fill = 08000000 0x10 0x1\n", "expected 'ADDR LEN PATTERN'");
	expect_error(0x484, 2048, "flash.fill = 0x08200000 0x10 0x1\n", "is not in this part's user flash");
	expect_error(0x474, 128, "flash.fill = 0x0c000000 0x10 0x1\n", "is not in this part's user flash");
	expect_error(0x484, 2048, "flash.fill = 0x08000008 0x10 0x1\n", "not aligned to a 16-byte");
	expect_error(0x484, 2048, "flash.fill = 0x080ffff0 0x20 0x1\n", "does not fit in flash bank 1");
	expect_error(0x484, 2048, "flash.fill = 0x08000000 0 0x1\n", "does not fit");
	expect_error(0x484, 2048, "flash.fill = 0x08000000 0x10 0x100\n", "is not a byte");
	expect_error(0x484, 2048, "flash.fill = 0x08000000 0x10 random:x\n", "bad random seed");
	expect_error(0x484, 2048, "flash.fill = 0x08000000 0x18 erased\n", "whole 16-byte quad-words");
	expect_error(0x484, 2048, "flash.load = 0x08000000\n", "expected 'ADDR FILE'");
	expect_error(0x484, 2048, "flash.load = 0x08000000 missing.bin\n", "cannot open");
	expect_error(0x484, 2048, "flash.load = 0x08000000 empty.bin\n", "is empty");
	expect_error(0x484, 2048, "flash.ecc_error = somewhere\n", "expected an address");
	expect_error(0x484, 2048, "flash.ecc_error = 0x20000000\n", "not in this part's user flash, OBK or OTP");
	expect_error(0x474, 128, "flash.ecc_error = 0x0bfd0000\n", "not in this part's user flash, OBK or OTP");
	expect_error(0x484, 2048, "otp.fill = 0x08fff000 0x10 erased\n", "OTP cannot be erased");
	expect_error(0x484, 2048, "otp.fill = 0x08000000 0x10 0x1\n", "is not in this part's OTP");
	expect_error(0x484, 2048, "otp.fill = 0x08fff001 0x2 0x1\n", "not aligned to a 2-byte");
	expect_error(0x484, 2048, "otp.fill = 0x08fff7fe 0x4 0x1\n", "does not fit in OTP");
}

/* -------------------------------------------------------- credentials -- */

/* A self-signed ECDSA P-256 certificate in `name`; its key's DER SPKI hash in `hash`. */
static void make_cert(const char *name, uint8_t hash[32])
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *cert = X509_new();
	unsigned char *der = NULL;
	unsigned int n = 0;
	char path[400];
	FILE *out;
	int len;

	assert_non_null(key);
	assert_non_null(cert);
	assert_int_equal(X509_set_version(cert, 2), 1);
	assert_int_equal(X509_set_pubkey(cert, key), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(cert), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(cert), 3600));
	assert_true(X509_sign(cert, key, EVP_sha256()) > 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "w");
	assert_non_null(out);
	assert_int_equal(PEM_write_X509(out, cert), 1);
	fclose(out);
	/* Independently of the model: the certificate's own SubjectPublicKeyInfo. */
	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	assert_true(len > 0);
	assert_int_equal(EVP_Digest(der, (size_t)len, hash, &n, EVP_sha256(), NULL), 1);
	OPENSSL_free(der);
	X509_free(cert);
	EVP_PKEY_free(key);
}

static void test_obk_password(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "obk.da_password = unbrick-me-2026\n");
	flash_h5_credential cred;
	unsigned char md[32];
	unsigned int n = 0;

	assert_int_equal(EVP_Digest("unbrick-me-2026", 15, md, &n, EVP_sha256(), NULL), 1);
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_PASSWORD);
	assert_int_equal(cred.permissions, 1);
	assert_memory_equal(cred.hash, md, 32);
	/* The record of docs §7 as the flash holds it. */
	assert_int_equal(h5_mem(f, 0x0bfd0100, false, SIM_BUS_OK), 1);
	assert_int_equal(h5_mem(f, 0x0bfd0104, false, SIM_BUS_OK), 1);
	assert_int_equal(h5_mem(f, 0x0bfd0108, false, SIM_BUS_OK),
			 md[0] | md[1] << 8 | md[2] << 16 | (uint32_t)md[3] << 24);
	assert_int_equal(h5_mem(f, 0x0bfd0128, false, SIM_BUS_OK), 0xfffffffe);
	assert_int_equal(h5_mem(f, 0x0bfd012c, false, SIM_BUS_OK), 0);
	assert_int_equal(h5_mem(f, 0x0bfd0130, false, SIM_BUS_OK), 0xffffffff);
	flash_h5_destroy(f);
	f = h5_make(0x484, 2048, "obk.da_permissions = 0x5\nobk.da_password = abcd\n");
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.permissions, 5);
	flash_h5_destroy(f);
}

static void test_obk_certificate(void **state)
{
	flash_h5 *f = h5_create(0x484, 2048);
	flash_h5_credential cred;
	uint8_t hash[32];

	make_cert("root.pem", hash);
	if (apply_in_dir(f, "TZEN = 0xB4\nobk.da_cert = root.pem\n") != 0)
		fail_msg("%s", h5_err);
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_CERT_ROOT);
	assert_int_equal(cred.permissions, 3);
	assert_memory_equal(cred.hash, hash, 32);
	flash_h5_destroy(f);
	f = h5_create(0x478, 512);
	if (apply_in_dir(f, "obk.da_cert = root.pem\nobk.da_permissions = 2\n") != 0)
		fail_msg("%s", h5_err);
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_CERT_ROOT);
	assert_int_equal(cred.permissions, 2);
	flash_h5_destroy(f);
}

static void test_credential_errors(void **state)
{
	write_file("junk.pem", "not a certificate\n", 18);
	make_cert("ok.pem", (uint8_t[32]){ 0 });
	expect_error(0x484, 2048, "obk.da_cert = nothere.pem\n", "cannot open");
	expect_error(0x484, 2048, "obk.da_cert = junk.pem\n", "no PEM certificate");
	expect_error(0x484, 2048, "obk.da_password = abcd\nobk.da_cert = ok.pem\n", "t.scn:2: obk.da_cert: one DA record");
	expect_error(0x484, 2048, "obk.da_permissions = 1\n", "needs obk.da_password or obk.da_cert");
	expect_error(0x484, 2048, "obk.da_password = abcd\nobk.da_permissions = x\n", "not a number");
	expect_error(0x484, 2048, "obk.da_password = abc\n", "4 to 16 bytes, not 3");
	expect_error(0x484, 2048, "obk.da_password = 0123456789abcdefg\n", "4 to 16 bytes, not 17");
	expect_error(0x484, 2048, "obk.da_password = abcd\nobk.da_password = efgh\n", "given twice");
	expect_error(0x474, 128, "obk.da_password = abcd\n", "has no OBK");
	expect_error(0x474, 128, "obk.da_permissions = 1\n", "has no OBK");
	expect_error(0x484, 2048, "otp.da_password = abcd\n", "use obk.da_password");
}

static void test_otp_password_h503(void **state)
{
	flash_h5 *f = h5_make(0x474, 128, "otp.da_password = unbrick-me-2026\n");
	flash_h5_credential cred;
	unsigned char md[32];
	unsigned int n = 0;

	assert_int_equal(EVP_Digest("unbrick-me-2026", 15, md, &n, EVP_sha256(), NULL), 1);
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_PASSWORD);
	assert_int_equal(cred.permissions, 1);
	assert_memory_equal(cred.hash, md, 32);
	to_json(f);
	expect_in(section("otp"), "\"programmed_half_words\": 16");
	expect_in(section("obk"), "\"present\": false");
	expect_in(section("obk"), "\"da_credential\": \"password\"");
	/* One-time: programming the hash again is refused. */
	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	assert_int_equal(flash_h5_mem_write(f, 0x08fff000, 2, false, 0), SIM_BUS_OK);
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	flash_h5_destroy(f);
}

/* ----------------------------------------------------------------- JSON -- */

static void test_json_factory(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);
	uint8_t *erased = malloc(1024 * 1024);
	char hex[65], needle[100];

	assert_non_null(erased);
	memset(erased, 0xff, 1024 * 1024);
	sha256_hex(erased, 1024 * 1024, hex);
	to_json(f);
	expect_in(json, "\"product_state\": \"0xed\"");
	expect_in(json, "\"product_state_name\": \"Open\"");
	expect_in(json, "\"tzen\": \"0xc3\"");
	expect_in(section("option_bytes"), "\"OPTSR_CUR\": \"0x2d30edd8\"");
	expect_in(section("option_bytes"), "\"OPTSR_PRG\": \"0x2d30edd8\"");
	expect_in(section("option_bytes"), "\"SECWM2R_CUR\": \"0x00000001\"");
	expect_in(section("option_fields"), "\"PRODUCT_STATE\": 237");
	expect_in(section("option_fields"), "\"TZEN\": 195");
	expect_in(section("option_fields"), "\"WRPSG2\": 4294967295");
	snprintf(needle, sizeof(needle), "\"bank2\": \"%s\"", hex);
	expect_in(section("flash_sha256"), needle);
	expect_in(section("bank1"), "\"erased\": true");
	expect_in(section("bank1"), "\"programmed_quad_words\": 0");
	expect_in(section("bank2"), "\"ecc_corrupt_quad_words\": 0");
	memset(erased, 0xff, 0x2000);
	sha256_hex(erased, 0x2000, hex);
	snprintf(needle, sizeof(needle), "\"sha256\": \"%s\"", hex);
	expect_in(section("obk"), needle);
	expect_in(section("obk"), "\"erased\": true");
	expect_in(section("obk"), "\"da_credential\": \"none\"");
	expect_in(section("otp"), "\"programmed_half_words\": 0");
	expect_in(section("counters"), "\"sector_erases\": 0");
	free(erased);
	flash_h5_destroy(f);
	f = h5_make(0x474, 128, "PRODUCT_STATE = 0x5C\n");
	to_json(f);
	expect_in(json, "\"product_state_name\": \"Locked\"");
	expect_in(json, "\"tzen\": \"0x00\"");
	assert_null(strstr(json, "SECWM1R_CUR"));
	assert_null(strstr(json, "\"BOOT_UBE\""));
	flash_h5_destroy(f);
}

static void test_json_after_operations(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "flash.fill = 0x08100000 0x20 0x1\nflash.ecc_error = 0x08100010\n"
				 "otp.fill = 0x08fff000 4 0x2\nPRODUCT_STATE = 0x17\n");

	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	h5_qw(f, 0x08000000, false, 1);
	sim_clock_advance(T_QW);
	h5_wr(f, NSCR, SER | SNB(5) | STRT);
	sim_clock_advance(T_SECTOR);
	h5_wr(f, NSCR, BER | BKSEL | STRT);
	sim_clock_advance(128 * T_SECTOR);
	h5_wr(f, NSCR, MER | STRT);
	sim_clock_advance(128 * T_SECTOR);
	h5_qw(f, 0x08000000, false, 1); /* no PG any more: refused */
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_option(f, WRP1R_PRG, 0xfffffffe);
	h5_set_ps(f, 0xed); /* refused */
	h5_wr(f, NSCCR, ALL_FLAGS);
	flash_h5_start_full_regression(f);
	to_json(f);
	expect_in(json, "\"product_state_name\": \"Regression\"");
	sim_clock_advance(128 * T_SECTOR);
	flash_h5_update(f, sim_now_us());
	h5_wr(f, NSCR, PG);
	h5_qw(f, 0x08008000, false, 1); /* sector 4: sectors 0..3 are write protected now */
	sim_clock_advance(T_QW);
	flash_h5_update(f, sim_now_us());
	to_json(f);
	expect_in(section("counters"), "\"sector_erases\": 1");
	expect_in(section("counters"), "\"bank_erases\": 1");
	expect_in(section("counters"), "\"mass_erases\": 1");
	expect_in(section("counters"), "\"option_changes\": 1");
	expect_in(section("counters"), "\"option_change_errors\": 1");
	expect_in(section("counters"), "\"quad_words_programmed\": 2");
	expect_in(section("counters"), "\"regressions_full\": 1");
	expect_in(section("counters"), "\"regressions_partial\": 0");
	expect_in(section("bank1"), "\"erased\": false");
	expect_in(section("bank1"), "\"programmed_quad_words\": 1");
	expect_in(section("bank2"), "\"erased\": true");
	expect_in(section("otp"), "\"programmed_half_words\": 2");
	expect_in(section("option_bytes"), "\"WRP1R_CUR\": \"0xfffffffe\"");
	expect_in(json, "\"product_state_name\": \"Open\"");
	flash_h5_destroy(f);
	f = h5_make(0x484, 2048, "flash.ecc_error = 0x08100010\n");
	to_json(f);
	expect_in(section("bank2"), "\"ecc_corrupt_quad_words\": 1");
	expect_in(section("bank2"), "\"erased\": false");
	flash_h5_destroy(f);
}

static void test_apply_rejects_null(void **state)
{
	flash_h5 *f = h5_create(0x484, 2048);
	char err[100];

	assert_int_equal(flash_h5_apply_scenario(f, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no flash or no scenario"));
	assert_int_equal(flash_h5_apply_scenario(NULL, &h5_sc, err, sizeof(err)), -1);
	flash_h5_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_option_fields),
		cmocka_unit_test(test_option_field_errors),
		cmocka_unit_test(test_fill_load_and_ecc),
		cmocka_unit_test(test_content_errors),
		cmocka_unit_test(test_obk_password),
		cmocka_unit_test(test_obk_certificate),
		cmocka_unit_test(test_credential_errors),
		cmocka_unit_test(test_otp_password_h503),
		cmocka_unit_test(test_json_factory),
		cmocka_unit_test(test_json_after_operations),
		cmocka_unit_test(test_apply_rejects_null),
	};

	return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}

/* aws/clicache.h: the AWS CLI's cache of assumed-role credentials,
 * ~/.aws/cli/cache/KEY.json, read and written the way the CLI does so that
 * each reuses what the other cached (a role with MFA asks for a code once
 * per session, whichever program asks).
 *
 * Private to aws/: the assume-role provider (aws/sts.c) uses it, the unit
 * tests call it directly.  The files hold secrets: they are written mode
 * 0600, atomically (aws/util.h's util_write_private_file), their buffers
 * wiped, and nothing of them ever reaches a message.
 */
#ifndef DDTREE_AWS_CLICACHE_H
#define DDTREE_AWS_CLICACHE_H

#include <stddef.h>
#include <time.h>

#include "aws/creds.h"

/* A cached entry is used only while it has more than this left (botocore's
 * CachedCredentialFetcher expiry window, 15 minutes). */
#define AWS_CLICACHE_WINDOW 900

/* The arguments of an AssumeRole call that name its cache entry. */
struct aws_clicache_args {
	const char *role_arn;
	const char *session_name;   /* NULL when not configured (a generated one is not
	                               part of the key) */
	const char *external_id;    /* NULL: none */
	const char *serial;         /* mfa_serial, or NULL */
	int duration;               /* duration_seconds; 0: not configured */
};

/* The cache key, as botocore's BaseAssumeRoleCredentialFetcher
 * ._create_cache_key computes it: the hex SHA-1 of json.dumps(args,
 * sort_keys=True), with Python's default separators (", " and ": ") and
 * escapes (ASCII only: \uXXXX), of {"DurationSeconds": N, "ExternalId",
 * "RoleArn", "RoleSessionName", "SerialNumber"}, each only when set.  0, or
 * -1 (a value that is not UTF-8, OpenSSL failure). */
int aws_clicache_key(const struct aws_clicache_args *a, char hex[41]);

/* HOME/.aws/cli/cache/KEY.json (malloc'd), or NULL when out of memory. */
char *aws_clicache_path(const char *home, const char hex[41]);

/* The entry at `path`, when it holds credentials valid for more than
 * `min_left` seconds after `now`: 1 with *out (source left NULL).  0 for
 * anything else (no file, unreadable, not the CLI's JSON, expiring): the
 * CLI, too, treats a bad entry as none.  Expiration as the CLI writes it
 * ("2026-11-23T12:34:56UTC") or in RFC 3339. */
int aws_clicache_load(const char *path, time_t now, time_t min_left,
                      struct aws_credentials *out);

/* Write the entry, {"Credentials": {AccessKeyId, SecretAccessKey,
 * SessionToken, Expiration}, "AssumedRoleUser": {Arn, AssumedRoleId}} (the
 * second only when `user_arn`), making the directory (0700) when needed.
 * 0, or -1 with *err (naming the path, never a secret). */
int aws_clicache_store(const char *path, const struct aws_credentials *cr,
                       const char *user_arn, const char *user_id, char **err);

#endif

/* aws/keys.c: the static keys providers (see keys.h).  The chain keeps a
 * copy of the keys (wiped when it is freed) and hands out copies of it. */
#include "aws/util.h"
#include "aws/keys.h"

#include <stdlib.h>
#include <string.h>

static void keys_free(void *data)
{
	aws_credentials_free(data);
	free(data);
}

static int keys_load(const void *data, time_t now, struct aws_credentials *out, char **msg)
{
	(void)now;
	if (aws_credentials_copy(out, data) < 0) {
		*msg = strdup("out of memory");
		return AWS_CRED_ERROR;
	}
	return AWS_CRED_FOUND;
}

static const struct aws_cred_provider env_provider = {
	.name = "environment", .load = keys_load, .free = keys_free,
};
static const struct aws_cred_provider credentials_file_provider = {
	.name = "shared credentials file", .load = keys_load, .free = keys_free,
};
static const struct aws_cred_provider config_file_provider = {
	.name = "config file", .load = keys_load, .free = keys_free,
};

/* The keys the SDKs' rules make of ak, sk and tok (named ak_name and
 * sk_name in `partial_where`, for the message about a key without its
 * secret), with `source` and `expiration`; `none` (taken) says why there
 * are none.  Takes `where`.  0, or -1 when out of memory. */
static int keys_add(struct aws_cred_chain *c, const struct aws_cred_provider *p, char *where,
                    const char *ak, const char *sk, const char *tok, time_t expiration,
                    const char *source, const char *partial_where, const char *ak_name,
                    const char *sk_name, char *none)
{
	struct aws_credentials *cr;

	if (ak && *ak && !(sk && *sk)) {
		free(none);
		return aws_cred_chain_add_verdict(c, p, where,
		                                  util_fmt("%s has %s but no %s", partial_where,
		                                           ak_name, sk_name), NULL);
	}
	if (!(ak && *ak))
		return aws_cred_chain_add_verdict(c, p, where, NULL, none);
	free(none);
	cr = calloc(1, sizeof *cr);
	if (cr) {
		cr->access_key_id = strdup(ak);
		cr->secret_access_key = strdup(sk);
		cr->session_token = tok && *tok ? strdup(tok) : NULL;
		cr->source = strdup(source);
		cr->expiration = expiration;
		if (!cr->access_key_id || !cr->secret_access_key || !cr->source ||
		    (tok && *tok && !cr->session_token)) {
			keys_free(cr);
			cr = NULL;
		}
	}
	return aws_cred_chain_add(c, p, where, cr);
}

int aws_keys_env_add(struct aws_cred_chain *c, const struct aws_cred_setup *s, bool always)
{
	char *where = strdup("environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
	const char *ak = util_getenv("AWS_ACCESS_KEY_ID");
	const char *sk = util_getenv("AWS_SECRET_ACCESS_KEY");
	const char *tok = util_getenv("AWS_SESSION_TOKEN");
	const char *exp = util_getenv("AWS_CREDENTIAL_EXPIRATION");
	time_t expiration = 0;

	if (!always && strcmp(s->profile_source, "--profile") == 0)
		return aws_cred_chain_add_verdict(c, &env_provider, where, NULL,
		                                  strdup("not used because --profile was given"));
	if (ak && sk && exp && util_rfc3339_parse(exp, &expiration) < 0)
		return aws_cred_chain_add_verdict(c, &env_provider, where,
		                                  strdup("AWS_CREDENTIAL_EXPIRATION is not an RFC "
		                                         "3339 time such as 2026-11-23T12:34:56Z"),
		                                  NULL);
	return keys_add(c, &env_provider, where, ak, sk,
	                tok ? tok : util_getenv("AWS_SECURITY_TOKEN"), expiration, "environment",
	                "the environment", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
	                strdup(sk ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
	                          : "not set"));
}

/* Why a file's profile has no keys. */
static char *no_keys(bool exists, const struct aws_profile_section *s, const char *header)
{
	if (!exists)
		return strdup("file not found");
	if (!s)
		return util_fmt("no %s section", header);
	return strdup("no aws_access_key_id");
}

int aws_keys_file_add(struct aws_cred_chain *c, const struct aws_cred_setup *s,
                      bool credentials_file)
{
	const struct aws_profile_view *v = &s->prof;
	const struct aws_profile_section *sec = credentials_file ? v->credp : v->cfgp;
	const char *path = credentials_file ? v->cred_path : v->cfg_path;
	const char *tok = aws_profile_get(sec, "aws_session_token");
	const struct aws_cred_provider *p = credentials_file ? &credentials_file_provider
	                                                     : &config_file_provider;
	char *header = credentials_file ? util_fmt("[%s]", v->name)
	                                : aws_profile_config_header(v->name);
	char *source = util_fmt("%s (profile %s)", p->name, v->name);
	char *where = util_fmt("%s %s profile %s", p->name, path, v->name);
	char *partial = header ? util_fmt("%s in %s", header, path) : NULL;
	int rc;

	if (!header || !source || !partial) {
		free(where);
		where = NULL;
	}
	rc = keys_add(c, p, where, aws_profile_get(sec, "aws_access_key_id"),
	              aws_profile_get(sec, "aws_secret_access_key"),
	              tok ? tok : aws_profile_get(sec, "aws_security_token"), 0,
	              source ? source : "", partial ? partial : "", "aws_access_key_id",
	              "aws_secret_access_key",
	              header ? no_keys(credentials_file ? v->cred_exists : v->cfg_exists, sec,
	                               header) : NULL);
	free(header);
	free(source);
	free(partial);
	return rc;
}

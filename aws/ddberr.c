/* aws/ddberr.c: a DynamoDB error described for people (ddb_error_describe
 * in aws/ddb.h): the one place where "code: message" is put together, with
 * what the error likely means (an endpoint that is not DynamoDB, refused
 * credentials and the profile they came from). */
#include "ddconfig.h"

#include "aws/ddb.h"
#include "aws/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Codes that say the credentials themselves were refused. */
static const char *const refused_codes[] = {
	"UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
	"MissingAuthenticationToken", "MissingAuthenticationTokenException", "InvalidClientTokenId",
	"ExpiredTokenException", "ExpiredToken", "SignatureDoesNotMatch", NULL,
};

static bool code_in(const char *code, const char *const *list)
{
	for (; code && *list; list++)
		if (!strcmp(code, *list))
			return true;
	return false;
}

/* The code ddb_parse_error_body makes up when the answer held no DynamoDB
 * error (no X-Amzn-ErrorType, no __type or code): "HTTP<status>". */
static bool no_service_error(const struct ddb_error *e)
{
	char made[32];
	snprintf(made, sizeof made, "HTTP%ld", e->http_status);
	return e->kind == DDB_ERR_SERVICE && e->http_status > 0 && e->code && !strcmp(e->code, made);
}

/* Where the refused credentials came from, and what to do. */
static char *credentials_hint(const struct aws_conf *conf)
{
	const char *profile = conf && conf->profile ? conf->profile : "default";
	bool named = conf && conf->profile_source && !strcmp(conf->profile_source, "--profile");
	const char *env_key = getenv("AWS_ACCESS_KEY_ID");
	if (!named && env_key && *env_key)
		return util_xasprintf("The credentials of the environment (AWS_ACCESS_KEY_ID) were "
		                      "refused: correct or unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY "
		                      "and AWS_SESSION_TOKEN, or name a profile with --profile");
	return util_xasprintf("The credentials of profile %s%s%s%s were refused: check them with "
	                      "`aws configure --profile %s` (for SSO, `aws sso login --profile %s`) "
	                      "or choose another profile with --profile",
	                      profile, conf && conf->profile_source ? ", chosen by " : "",
	                      conf && conf->profile_source ? conf->profile_source : "",
	                      conf && conf->profile_source ? "," : "", profile, profile);
}

/* s with each line break, and the blanks around it, made one space. */
static char *one_line(const char *s)
{
	char *out = util_xstrdup(s);
	size_t o = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\n' || s[i] == '\r') {
			while (o && (out[o - 1] == ' ' || out[o - 1] == '\t'))
				o--;
			while (s[i + 1] == '\n' || s[i + 1] == '\r' || s[i + 1] == ' ' || s[i + 1] == '\t')
				i++;
			if (o && s[i + 1])
				out[o++] = ' ';
			continue;
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

char *ddb_error_describe(const struct ddb_error *e, const struct aws_conf *conf, unsigned flags)
{
	const char *endpoint = conf && conf->endpoint_url ? conf->endpoint_url : "the endpoint";
	char *text;
	if (!e || e->kind == DDB_OK) {
		text = util_xstrdup(ddb_error_kind_text(DDB_OK));
	} else if (no_service_error(e)) {
		text = util_xasprintf("%s answered HTTP %ld with no DynamoDB error: not a DynamoDB "
		                      "endpoint?", endpoint, e->http_status);
	} else {
		const char *msg = e->message && *e->message ? e->message : ddb_error_kind_text(e->kind);
		char *hint = NULL;
		if (e->kind == DDB_ERR_SERVICE && code_in(e->code, refused_codes))
			hint = credentials_hint(conf);
		size_t ml = strlen(msg);
		const char *sep = !hint ? "" : ml && msg[ml - 1] == '.' ? " " : ". ";
		text = util_xasprintf("%s%s%s%s%s", e->code ? e->code : "", e->code ? ": " : "", msg,
		                      sep, hint ? hint : "");
		free(hint);
		if (e->kind == DDB_ERR_SERVICE && e->http_status >= 500) {
			char *more = util_xasprintf("%s (server error)", text);
			free(text);
			text = more;
		}
	}
	if (flags & DDB_DESCRIBE_LINES)
		return text;
	char *line = one_line(text);
	free(text);
	return line;
}

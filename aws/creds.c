/* aws/creds.c: credentials, and the chain of providers with its cache (see
 * creds.h).
 *
 * aws_creds_get holds the chain's lock while it asks the providers, so two
 * threads never run one credential_process (or ask SSO or STS) twice for
 * the same expiry.  The cache keeps one copy; callers get their own.
 */
#include "aws/util.h"
#include "aws/creds.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	const struct aws_cred_provider *p;
	char *where;            /* where it looks, for the list of sources tried */
	void *data;             /* NULL for a verdict */
	char *error;            /* a verdict: a hard error, */
	char *none;             /* or why there is nothing here */
};

struct aws_cred_chain {
	pthread_mutex_t lock;
	struct entry *v;
	size_t n, cap;
	char *profile;
	char *nothing;          /* a source chain's lead when nothing is found
	                           ("profile a's source_profile b has no credentials");
	                           NULL for the top-level chain */
	bool placeholder;       /* placeholder credentials when nothing is found */
	time_t margin;
	bool cached;
	struct aws_credentials cache;
};

/* A message that may be NULL after a failed allocation. */
static char *or_oom(char *msg)
{
	return msg ? msg : strdup("out of memory");
}

void aws_credentials_free(struct aws_credentials *cr)
{
	if (!cr)
		return;
	util_wipe_free(cr->access_key_id);
	util_wipe_free(cr->secret_access_key);
	util_wipe_free(cr->session_token);
	free(cr->source);
	memset(cr, 0, sizeof *cr);
}

int aws_credentials_copy(struct aws_credentials *dst, const struct aws_credentials *src)
{
	memset(dst, 0, sizeof *dst);
	dst->access_key_id = util_strdup_or_null(src->access_key_id);
	dst->secret_access_key = util_strdup_or_null(src->secret_access_key);
	dst->session_token = util_strdup_or_null(src->session_token);
	dst->source = util_strdup_or_null(src->source);
	dst->expiration = src->expiration;
	if (!dst->access_key_id || !dst->secret_access_key || !dst->source ||
	    (src->session_token && !dst->session_token)) {
		aws_credentials_free(dst);
		return -1;
	}
	return 0;
}

/* ---- building ---------------------------------------------------------------- */

struct aws_cred_chain *aws_cred_chain_new(const char *profile, char *nothing)
{
	struct aws_cred_chain *c = calloc(1, sizeof *c);

	if (!c) {
		free(nothing);
		return NULL;
	}
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		free(nothing);
		free(c);
		return NULL;
	}
	c->margin = AWS_CREDS_REFRESH_MARGIN;
	c->nothing = nothing;
	c->profile = strdup(profile);
	if (!c->profile) {
		aws_cred_chain_free(c);
		return NULL;
	}
	return c;
}

void aws_cred_chain_free(struct aws_cred_chain *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->v[i];
		free(e->where);
		free(e->error);
		free(e->none);
		if (e->data)
			e->p->free(e->data);
	}
	free(c->v);
	free(c->profile);
	free(c->nothing);
	aws_credentials_free(&c->cache);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Append an entry; takes ownership of its strings and data even on
 * failure. */
static int add(struct aws_cred_chain *c, struct entry e)
{
	if (!e.where || (!e.data && !e.error && !e.none))
		goto fail;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct entry *nv = realloc(c->v, cap * sizeof *nv);
		if (!nv)
			goto fail;
		c->v = nv;
		c->cap = cap;
	}
	c->v[c->n++] = e;
	return 0;
fail:
	free(e.where);
	free(e.error);
	free(e.none);
	if (e.data)
		e.p->free(e.data);
	return -1;
}

int aws_cred_chain_add(struct aws_cred_chain *c, const struct aws_cred_provider *p,
                       char *where, void *data)
{
	if (!data) {
		free(where);
		return -1;
	}
	return add(c, (struct entry){ .p = p, .where = where, .data = data });
}

int aws_cred_chain_add_verdict(struct aws_cred_chain *c, const struct aws_cred_provider *p,
                               char *where, char *error, char *none)
{
	if (error) {
		free(none);
		none = NULL;
	}
	return add(c, (struct entry){ .p = p, .where = where, .error = error, .none = none });
}

void aws_cred_chain_set_placeholder(struct aws_cred_chain *c, bool on)
{
	c->placeholder = on;
}

/* ---- asking ------------------------------------------------------------------ */

int aws_cred_chain_resolve(struct aws_cred_chain *c, time_t now,
                           struct aws_credentials *out, char **err)
{
	char *tried = NULL;
	size_t tn = 0;
	FILE *ms = open_memstream(&tried, &tn);

	memset(out, 0, sizeof *out);
	if (!ms) {
		*err = strdup("out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = &c->v[i];
		char *msg = NULL;
		int r;

		if (e->error) {
			msg = or_oom(strdup(e->error));
			r = AWS_CRED_ERROR;
		} else if (e->none) {
			msg = or_oom(strdup(e->none));
			r = AWS_CRED_NONE;
		} else {
			r = e->p->load(e->data, now, out, &msg);
		}
		if (r == AWS_CRED_FOUND) {
			free(msg);
			fclose(ms);
			free(tried);
			return 0;
		}
		if (r == AWS_CRED_ERROR) {
			*err = or_oom(msg);
			fclose(ms);
			free(tried);
			return -1;
		}
		fprintf(ms, "%s%s: %s", i ? "; " : "", e->where, msg ? msg : "?");
		free(msg);
	}
	if (fclose(ms) != 0) {
		free(tried);
		tried = NULL;
	}
	if (c->placeholder) {
		free(tried);
		/* DynamoDB Local refuses key ids with "-" or "_" */
		out->access_key_id = strdup("ddtreelocal");
		out->secret_access_key = strdup("ddtreelocal");
		out->source = strdup("placeholder for local endpoint");
		if (!out->access_key_id || !out->secret_access_key || !out->source) {
			aws_credentials_free(out);
			*err = strdup("out of memory");
			return -1;
		}
		return 0;
	}
	if (c->nothing) {
		*err = or_oom(util_fmt("%s. Tried, in order: %s.", c->nothing,
		                       tried ? tried : "(out of memory)"));
		free(tried);
		return -1;
	}
	*err = or_oom(util_fmt("no AWS credentials found for profile %s. Tried, in order: %s. "
	                       "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws configure`, "
	                       "or choose another profile with --profile.",
	                       c->profile, tried ? tried : "(out of memory)"));
	free(tried);
	return -1;
}

int aws_creds_get(struct aws_cred_chain *c, time_t now, struct aws_credentials *out, char **err)
{
	int rc = 0;

	memset(out, 0, sizeof *out);
	*err = NULL;
	if (!c) {
		*err = strdup("no credentials configured");
		return -1;
	}
	pthread_mutex_lock(&c->lock);
	if (!c->cached || (c->cache.expiration != 0 && c->cache.expiration - now < c->margin)) {
		struct aws_credentials fresh;

		if (aws_cred_chain_resolve(c, now, &fresh, err) < 0) {
			rc = -1;
		} else {
			aws_credentials_free(&c->cache);
			c->cache = fresh;
			c->cached = true;
		}
	}
	if (rc == 0 && aws_credentials_copy(out, &c->cache) < 0) {
		*err = strdup("out of memory");
		rc = -1;
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

bool aws_cred_chain_interactive(const struct aws_cred_chain *c)
{
	for (size_t i = 0; c && i < c->n; i++) {
		const struct entry *e = &c->v[i];
		if (e->data && e->p->interactive && e->p->interactive(e->data))
			return true;
	}
	return false;
}

void aws_creds_invalidate(struct aws_cred_chain *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	aws_credentials_free(&c->cache);
	c->cached = false;
	pthread_mutex_unlock(&c->lock);
}

void aws_creds_set_refresh_margin(struct aws_cred_chain *c, time_t seconds)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->margin = seconds < 0 ? 0 : seconds;
	pthread_mutex_unlock(&c->lock);
}

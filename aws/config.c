/* aws/config.c: profile, region, endpoint, and the building of the
 * credential chain.
 *
 * aws_conf_resolve reads the environment and both shared files once, then
 * builds the chain: the providers in botocore's order (AWS-CLIENT.md 4.1),
 * each added by its own file (aws/keys.c, aws/sts.c, aws/sso.c,
 * aws/credproc.c, aws/container.c), which copies what it needs at that
 * moment, so aws_creds_get (aws/creds.c) never touches the files or the
 * environment again.  A role's source credentials come from a sub-chain
 * built here the same way for the source_profile (or from
 * credential_source); loops are found when the chain is built.  IMDS goes
 * last, and is the last source of the region too.
 */
#include "aws/util.h"
#include "aws/config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "aws/container.h"
#include "aws/credproc.h"
#include "aws/creds.h"
#include "aws/imds.h"
#include "aws/keys.h"
#include "aws/profile.h"
#include "aws/sso.h"
#include "aws/sts.h"
#include "aws/url.h"

/* A message that may be NULL after a failed allocation. */
static char *or_oom(char *msg)
{
	return msg ? msg : strdup("out of memory");
}

/* ---- the chain --------------------------------------------------------- */

#define ROLE_CHAIN_MAX 16

/* The profiles met on the way down a chain of roles, for loop detection. */
struct visit {
	const char *names[ROLE_CHAIN_MAX + 1];
	size_t n;
};

static char *role_source(const struct aws_cred_setup *s, const char *sp, const char *cs,
                         void *ud, struct aws_cred_chain **from);

/* botocore's _has_static_credentials */
static bool has_static_keys(const struct aws_profile_view *p)
{
	return aws_profile_view_get_nonempty(p, "aws_access_key_id") ||
	       aws_profile_view_get_nonempty(p, "aws_secret_access_key");
}

/* The providers of a source_profile (botocore's
 * _resolve_credentials_from_profile): another role when the profile has a
 * role_arn and no keys of its own, else its own providers without the
 * environment: web identity, SSO, the two files' keys, credential_process. */
static struct aws_cred_chain *source_chain(const struct aws_cred_setup *g, const char *parent,
                                           struct visit *v)
{
	const struct aws_profile_view *p = &g->prof;
	char *nothing = util_fmt("profile %s's source_profile %s has no credentials", parent,
	                         p->name);
	struct aws_cred_chain *c = nothing ? aws_cred_chain_new(p->name, nothing) : NULL;
	int rc;

	if (!c)
		return NULL;
	if (aws_profile_view_get_nonempty(p, "role_arn") &&
	    !aws_profile_view_get_nonempty(p, "web_identity_token_file") && !has_static_keys(p))
		rc = aws_role_add(c, g, role_source, v);
	else
		rc = aws_web_identity_add(c, g, false) < 0 || aws_sso_add(c, g) < 0 ||
		     aws_keys_file_add(c, g, true) < 0 || aws_credproc_add(c, g) < 0 ||
		     aws_keys_file_add(c, g, false) < 0 ? -1 : 0;
	if (rc < 0) {
		aws_cred_chain_free(c);
		return NULL;
	}
	return c;
}

/* source_profile = sp: NULL with *from, or a message (a missing profile, a
 * loop). */
static char *source_profile_chain(const struct aws_cred_setup *s, const char *sp,
                                  struct visit *v, struct aws_cred_chain **from)
{
	const struct aws_profile_view *f = &s->prof;
	struct aws_cred_setup g = *s;
	bool seen = false;

	g.prof = aws_profile_view_at(f, sp);
	if (!g.prof.cfgp && !g.prof.credp)
		return util_fmt("profile %s has source_profile = %s, but there is no profile %s "
		                "in %s or %s", f->name, sp, sp, f->cfg_path, f->cred_path);
	for (size_t i = 0; i < v->n; i++)
		seen = seen || strcmp(v->names[i], sp) == 0;
	/* a profile may name itself to use its own keys; any other return is a loop */
	if (seen && strcmp(sp, f->name) == 0 && !has_static_keys(&g.prof))
		return util_fmt("profile %s names itself as source_profile but has no "
		                "aws_access_key_id and aws_secret_access_key of its own to "
		                "assume role %s with", f->name,
		                aws_profile_view_get_nonempty(f, "role_arn"));
	if (seen && strcmp(sp, f->name) != 0) {
		char *path = NULL, *msg;
		size_t n = 0;
		FILE *ms = open_memstream(&path, &n);
		if (!ms)
			return strdup("out of memory");
		for (size_t i = 0; i < v->n; i++)
			fprintf(ms, "%s -> ", v->names[i]);
		fprintf(ms, "%s", sp);
		if (fclose(ms) != 0) {
			free(path);
			return strdup("out of memory");
		}
		msg = util_fmt("the source_profile settings make a loop (%s): a chain of roles "
		               "must end at a profile with credentials of its own", path);
		free(path);
		return or_oom(msg);
	}
	if (v->n >= ROLE_CHAIN_MAX)
		return util_fmt("the chain of roles from profile %s is longer than %d profiles",
		                v->names[0], ROLE_CHAIN_MAX);
	v->names[v->n++] = sp;
	*from = source_chain(&g, f->name, v);
	return *from ? NULL : strdup("out of memory");
}

/* credential_source = cs: NULL with *from, or a message. */
static char *credential_source_chain(const struct aws_cred_setup *s, const char *cs,
                                     struct aws_cred_chain **from)
{
	const struct aws_profile_view *f = &s->prof;
	char *nothing;

	if (strcmp(cs, "Environment") != 0 && strcmp(cs, "EcsContainer") != 0 &&
	    strcmp(cs, "Ec2InstanceMetadata") != 0)
		return util_fmt("profile %s has credential_source = %s, which is none of "
		                "Environment, EcsContainer and Ec2InstanceMetadata", f->name, cs);
	nothing = util_fmt("profile %s has credential_source = %s, but found no credentials "
	                   "there", f->name, cs);
	*from = nothing ? aws_cred_chain_new(f->name, nothing) : NULL;
	if (!*from)
		return strdup("out of memory");
	if (strcmp(cs, "Environment") == 0 ? aws_keys_env_add(*from, s, true) < 0 :
	    strcmp(cs, "EcsContainer") == 0 ? aws_container_add(*from, s) < 0 :
	    aws_imds_add(*from, s, false) < 0)
		return strdup("out of memory");
	return NULL;
}

/* Where a role's source credentials come from (aws_role_source_fn). */
static char *role_source(const struct aws_cred_setup *s, const char *sp, const char *cs,
                         void *ud, struct aws_cred_chain **from)
{
	return cs ? credential_source_chain(s, cs, from) : source_profile_chain(s, sp, ud, from);
}

/* The top-level chain, in botocore's order (AWS-CLIENT.md 4.1), IMDS last.
 * `placeholder`: a loopback endpoint, where keys are made up when no
 * provider has any (and IMDS is not asked). */
static struct aws_cred_chain *chain_build(const struct aws_cred_setup *s, bool placeholder)
{
	struct aws_cred_chain *c = aws_cred_chain_new(s->prof.name, NULL);
	struct visit v = { .names = { s->prof.name }, .n = 1 };

	if (!c)
		return NULL;
	aws_cred_chain_set_placeholder(c, placeholder);
	if (aws_keys_env_add(c, s, false) < 0 || aws_role_add(c, s, role_source, &v) < 0 ||
	    aws_web_identity_add(c, s, strcmp(s->profile_source, "--profile") != 0) < 0 ||
	    aws_sso_add(c, s) < 0 || aws_keys_file_add(c, s, true) < 0 ||
	    aws_credproc_add(c, s) < 0 || aws_keys_file_add(c, s, false) < 0 ||
	    aws_container_add(c, s) < 0 || aws_imds_add(c, s, placeholder) < 0) {
		aws_cred_chain_free(c);
		return NULL;
	}
	return c;
}

/* ---- resolve ----------------------------------------------------------- */

/* The two files, read once. */
struct files {
	const char *profile_source;
	char *cfg_path, *cred_path;
	struct aws_profile_file cfg, cred;
	struct aws_profile_view v;  /* the profile in both */
	char *sts_url;              /* AWS_ENDPOINT_URL_STS, checked, or NULL */
	char *sts_err;              /* why AWS_ENDPOINT_URL_STS is refused, or NULL */
	struct aws_imds_conf imds;  /* IMDS's settings */
};

static void files_free(struct files *f)
{
	free(f->cfg_path);
	free(f->cred_path);
	free(f->sts_url);
	free(f->sts_err);
	aws_imds_conf_free(&f->imds);
	aws_profile_file_free(&f->cfg);
	aws_profile_file_free(&f->cred);
}

static int load_file(const char *path, enum aws_profile_kind kind, const char *what,
                     struct aws_profile_file *pf, bool *exists, char **err)
{
	char *text = NULL, *origin;
	size_t len = 0;
	int rc;

	if (aws_profile_read_file(path, &text, &len, err) < 0)
		return -1;
	*exists = text != NULL;
	if (!text)
		return 0;
	origin = util_fmt("%s %s", what, path);
	rc = aws_profile_parse(text, len, kind, origin ? origin : path, pf, err);
	free(origin);
	OPENSSL_cleanse(text, len);
	free(text);
	return rc;
}

/* Known profile names, for "not found" messages. */
static char *profile_names(const struct files *f)
{
	char *s = NULL;
	size_t n = 0, count = 0;
	FILE *ms = open_memstream(&s, &n);
	const struct aws_profile_list *lists[] = { &f->cfg.profiles, &f->cred.profiles };

	if (!ms)
		return NULL;
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			const char *name = lists[l]->v[i].name;
			if (l == 1 && aws_profile_find(&f->cfg.profiles, name))
				continue;
			if (count++ < 20)
				fprintf(ms, "%s%s", count > 1 ? ", " : "", name);
		}
	}
	if (count > 20)
		fprintf(ms, ", ...");
	if (!count)
		fprintf(ms, "none");
	if (fclose(ms) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static bool service_valid(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(" -_", *s))
			return false;
	return true;
}

/* The name of the service-specific variable, as a literal. */
static const char *service_env_source(const char *service)
{
	if (strcasecmp(service, "dynamodb") == 0)
		return "AWS_ENDPOINT_URL_DYNAMODB";
	if (strcasecmp(service, "s3") == 0)
		return "AWS_ENDPOINT_URL_S3";
	return "AWS_ENDPOINT_URL_<SERVICE>";
}

/* The configured endpoint (steps 1-5 of AWS-CLIENT.md 4.13), or NULL.
 * *url is malloc'd.  0, or -1 when out of memory. */
static int configured_endpoint(const struct aws_conf_opts *o, const struct files *f,
                               const char *service, char **url, const char **source)
{
	const char *v;
	char name[96], key[80];
	size_t i;

	*url = NULL;
	*source = NULL;
	if (o->endpoint_url && *o->endpoint_url) {
		*source = "--endpoint-url";
		return (*url = strdup(o->endpoint_url)) ? 0 : -1;
	}
	if (o->ignore_configured_endpoint_urls || aws_profile_view_ignores_endpoints(&f->v))
		return 0;

	/* AWS_ENDPOINT_URL_<SERVICE ID>, and the services section's key */
	snprintf(name, sizeof name, "AWS_ENDPOINT_URL_%s", service);
	snprintf(key, sizeof key, "%s", service);
	for (i = strlen("AWS_ENDPOINT_URL_"); name[i]; i++)
		name[i] = name[i] == ' ' || name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	for (i = 0; key[i]; i++)
		key[i] = key[i] == ' ' ? '_' : (char)tolower((unsigned char)key[i]);

	if ((v = util_getenv(name))) {
		*source = service_env_source(service);
	} else if ((v = util_getenv("AWS_ENDPOINT_URL"))) {
		*source = "AWS_ENDPOINT_URL";
	} else {
		const char *sname = aws_profile_view_get_nonempty(&f->v, "services");
		const struct aws_profile_section *svc = aws_profile_find(&f->cfg.services, sname);
		const char *raw = aws_profile_get(svc, key);

		if (raw) {
			struct aws_profile_section sub;
			if (aws_profile_subprops(raw, &sub) < 0)
				return -1;
			v = aws_profile_get(&sub, "endpoint_url");
			if (v && *v) {
				*url = strdup(v);
				*source = "services section";
			}
			aws_profile_section_free(&sub);
			if (*source)
				return *url ? 0 : -1;
		}
		if ((v = aws_profile_view_get_nonempty(&f->v, "endpoint_url")))
			*source = "profile endpoint_url";
	}
	if (!v)
		return 0;
	return (*url = strdup(v)) ? 0 : -1;
}

static int parse_max_attempts(const char *v, const char *source, int *out, char **err)
{
	long n = 0;
	const char *p = v;

	for (; *p && isdigit((unsigned char)*p) && n <= 100; p++)
		n = n * 10 + (*p - '0');
	if (p == v || *p || n < 1 || n > 20) {
		*err = util_fmt("max_attempts from %s must be a whole number from 1 to 20", source);
		return -1;
	}
	*out = (int)n;
	return 0;
}

int aws_conf_resolve(const struct aws_conf_opts *opts, struct aws_conf *out, char **err)
{
	static const struct aws_conf_opts none;
	const struct aws_conf_opts *o = opts ? opts : &none;
	const char *service = o->service && *o->service ? o->service : "dynamodb";
	struct files f = { 0 };
	char *url = NULL, *imds_region = NULL, *imds_why = NULL;
	const char *src, *v, *profile;
	bool loopback = false;

	/* before any secret is read: no core dumps, wiping allocators */
	util_secure_init();
	memset(out, 0, sizeof *out);
	*err = NULL;
	if (!service_valid(service)) {
		*err = strdup("internal error: bad service name");
		return -1;
	}

	/* the profile and the files */
	profile = aws_profile_select(o->profile, &f.profile_source);
	out->profile_source = f.profile_source;
	if (aws_profile_paths(&f.cfg_path, &f.cred_path, err) < 0)
		goto fail;
	f.v = (struct aws_profile_view){ .cfg = &f.cfg, .cred = &f.cred,
	                                 .cfg_path = f.cfg_path, .cred_path = f.cred_path };
	if (load_file(f.cfg_path, AWS_PROFILE_CONFIG, "config file", &f.cfg,
	              &f.v.cfg_exists, err) < 0 ||
	    load_file(f.cred_path, AWS_PROFILE_CREDENTIALS, "shared credentials file", &f.cred,
	              &f.v.cred_exists, err) < 0)
		goto fail;
	f.v = aws_profile_view_at(&f.v, profile);
	if (!f.v.cfgp && !f.v.credp && strcmp(f.profile_source, "default") != 0) {
		char *names = profile_names(&f);
		*err = util_fmt("profile '%s' (from %s) is in neither %s%s nor %s%s; profiles found: %s",
		           profile, f.profile_source, f.cfg_path, f.v.cfg_exists ? "" : " (missing)",
		           f.cred_path, f.v.cred_exists ? "" : " (missing)", names ? names : "?");
		free(names);
		goto fail;
	}
	out->profile = strdup(profile);
	if (!out->profile)
		goto nomem;

	/* the endpoint someone configured, if any */
	if (configured_endpoint(o, &f, service, &url, &src) < 0)
		goto nomem;
	if (url) {
		if (aws_url_check_endpoint(url, src, o->allow_plain_http, &out->endpoint_url,
		                   &loopback, err) < 0)
			goto fail;
		out->endpoint_source = src;
	}

	/* a private CA, and IMDS's settings (a source of the region too) */
	if ((v = util_getenv("AWS_CA_BUNDLE")) || (v = aws_profile_view_get_nonempty(&f.v, "ca_bundle"))) {
		if (!(out->ca_bundle = strdup(v)))
			goto nomem;
	}
	if (aws_imds_conf_read(&f.v, out->ca_bundle, &f.imds) < 0)
		goto nomem;

	/* the region; IMDS's last, and not for an endpoint on this machine */
	if (o->region && *o->region) {
		v = o->region;
		out->region_source = "--region";
	} else if ((v = util_getenv("AWS_REGION"))) {
		out->region_source = "AWS_REGION";
	} else if ((v = util_getenv("AWS_DEFAULT_REGION"))) {
		out->region_source = "AWS_DEFAULT_REGION";
	} else if ((v = aws_profile_view_get_nonempty(&f.v, "region"))) {
		out->region_source = "profile";
	} else if (loopback) {
		v = "us-east-1";
		out->region_source = "default for local endpoint";
	} else if (aws_imds_region(&f.imds, &imds_region, &imds_why) == 0) {
		v = imds_region;
		out->region_source = "EC2 instance metadata";
	} else {
		char *hdr = aws_profile_config_header(profile);
		bool dflt = strcmp(profile, "default") == 0;
		*err = util_fmt("no AWS region is set for profile %s. Pass --region, set AWS_REGION, "
		           "or add `region = us-east-1` (say) to the %s section of %s "
		           "(`aws configure set region us-east-1%s%s`)%s%s%s",
		           profile, hdr ? hdr : "profile", f.cfg_path,
		           dflt ? "" : " --profile ", dflt ? "" : profile,
		           f.imds.disabled ? "" : ". EC2 instance metadata gave none: ",
		           f.imds.disabled ? "" : (imds_why ? imds_why : "?"),
		           f.imds.disabled ? "" : ".");
		free(hdr);
		goto fail;
	}
	if (!aws_url_region_valid(v)) {
		*err = util_fmt("the region from %s is not a region name (letters, digits and '-', "
		           "like us-east-1)", out->region_source);
		goto fail;
	}
	out->region = strdup(v);
	free(imds_region);
	imds_region = NULL;
	if (!out->region)
		goto nomem;

	/* the default endpoint */
	if (!out->endpoint_url) {
		char host[80];
		size_t i;
		snprintf(host, sizeof host, "%s", service);
		for (i = 0; host[i]; i++)
			host[i] = host[i] == ' ' || host[i] == '_' ? '-' :
			          (char)tolower((unsigned char)host[i]);
		out->endpoint_url = util_fmt("https://%s.%s.amazonaws.com%s", host, out->region,
		                        strncmp(out->region, "cn-", 3) == 0 ? ".cn" : "");
		if (!out->endpoint_url)
			goto nomem;
		out->endpoint_source = "default";
		loopback = false;
	}
	out->endpoint_is_loopback = loopback;

	/* the rest */
	if ((v = util_getenv("AWS_MAX_ATTEMPTS"))) {
		if (parse_max_attempts(v, "AWS_MAX_ATTEMPTS", &out->max_attempts, err) < 0)
			goto fail;
	} else if ((v = aws_profile_view_get_nonempty(&f.v, "max_attempts"))) {
		char *where = util_fmt("profile %s", profile);
		int r = parse_max_attempts(v, where ? where : "the profile",
		                           &out->max_attempts, err);
		free(where);
		if (r < 0)
			goto fail;
	}

	/* STS, for assume role and web identity: the region resolved here (none
	 * when it is only the local endpoint's default: the global endpoint),
	 * AWS_ENDPOINT_URL_STS as the SDKs let tests override it */
	if (!aws_profile_view_ignores_endpoints(&f.v) && (v = util_getenv("AWS_ENDPOINT_URL_STS"))) {
		bool sts_lo;
		char *sts_err = NULL;
		if (aws_url_check_endpoint(v, "AWS_ENDPOINT_URL_STS", false, &f.sts_url, &sts_lo,
		                           &sts_err) < 0)
			f.sts_err = or_oom(sts_err);
	}

	/* the credential chain */
	{
		struct aws_cred_setup setup = {
			.prof = f.v,
			.profile_source = f.profile_source,
			.ca_bundle = out->ca_bundle,
			.sts_region = strcmp(out->region_source, "default for local endpoint") == 0
			              ? NULL : out->region,
			.sts_url = f.sts_url,
			.sts_err = f.sts_err,
			.imds = &f.imds,
		};
		out->creds = chain_build(&setup, loopback);
	}
	if (!out->creds)
		goto nomem;
	free(url);
	free(imds_why);
	files_free(&f);
	return 0;
nomem:
	*err = strdup("out of memory");
fail:
	if (!*err)
		*err = strdup("out of memory");
	free(url);
	free(imds_region);
	free(imds_why);
	files_free(&f);
	aws_conf_free(out);
	return -1;
}

void aws_conf_free(struct aws_conf *c)
{
	if (!c)
		return;
	free(c->profile);
	free(c->region);
	free(c->endpoint_url);
	free(c->ca_bundle);
	aws_cred_chain_free(c->creds);
	memset(c, 0, sizeof *c);
}

/* model/timefmt.c: parse the timestamps Stache and Chainlit write. */
#include "ddconfig.h"

#include "model/timefmt.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return 0;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 1;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool time_parse(const char *s, int64_t *us)
{
	if (!s)
		return false;
	const char *p = s;
	/* epoch milliseconds (Stache's deleted_at_ms) */
	if (strlen(s) >= 12 && strspn(s, "0123456789") == strlen(s)) {
		errno = 0;
		long long ms = strtoll(s, NULL, 10);
		if (errno || ms > INT64_MAX / 1000)
			return false;
		*us = ms * 1000;
		return true;
	}
	int Y, M, D, h = 0, mi = 0, sec = 0;
	if (!digits(&p, 4, &Y) || *p++ != '-' || !digits(&p, 2, &M) || *p++ != '-' ||
	    !digits(&p, 2, &D))
		return false;
	if (M < 1 || M > 12 || D < 1 || D > 31)
		return false;
	int64_t frac_us = 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return false;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec))
				return false;
		}
		if (*p == '.' || *p == ',') {
			p++;
			int n = 0;
			int64_t scale = 100000;
			while (isdigit((unsigned char)*p)) {
				if (n < 6) {
					frac_us += (*p - '0') * scale;
					scale /= 10;
				}
				p++;
				n++;
			}
			if (!n)
				return false;
		}
	}
	if (h > 23 || mi > 59 || sec > 60)
		return false;
	int64_t off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
		if (!digits(&p, 2, &oh))
			return false;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && !digits(&p, 2, &om))
			return false;
		off = sign * (oh * 3600 + om * 60);
	}
	if (*p)
		return false;
	int64_t secs = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + sec - off;
	*us = secs * 1000000 + frac_us;
	return true;
}

int time_cmp(const char *a, const char *b)
{
	int64_t ta, tb;
	bool va = time_parse(a, &ta), vb = time_parse(b, &tb);
	if (va && vb && ta != tb)
		return ta < tb ? -1 : 1;
	if (va != vb)
		return va ? -1 : 1;
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

void time_format(int64_t us, char *buf, int len)
{
	time_t t = (time_t)(us / 1000000 - (us < 0 && us % 1000000 ? 1 : 0));
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(buf, (size_t)len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, (size_t)len, "?");
}

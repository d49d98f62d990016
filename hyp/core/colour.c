/*
 * Cache colour arithmetic and page placement (tessera/colour.h): pure
 * functions, shared by the config checker, the stage-2 builder and the host
 * tests, so all three agree on every page.
 */
#include <stdio.h>
#include <tessera/colour.h>

unsigned int colour_count(u64 size, u32 ways)
{
	u64 way;

	if (!ways || size % ways)
		return 0;
	way = size / ways;
	if (way % COLOUR_PAGE || way / COLOUR_PAGE > 0xffffffffULL)
		return 0;
	return (unsigned int)(way / COLOUR_PAGE);
}

u64 colour_table_pages(u64 base, u64 size)
{
	u64 l3 = ALIGN_UP(base + size, SZ_2M) / SZ_2M - base / SZ_2M;
	u64 l2 = ALIGN_UP(base + size, SZ_1G) / SZ_1G - base / SZ_1G;

	/* The root, then its devices', channels' and vGIC-neighbour mappings: a few tables more. */
	return 1 + l2 + l3 + 8;
}

unsigned int colour_weight(u64 mask)
{
	unsigned int n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

u64 colour_rows_needed(u64 size, u64 mask)
{
	u64 pages = size / COLOUR_PAGE, k = colour_weight(mask);

	return k ? (pages + k - 1) / k : 0;
}

/* The @n-th (from 0) set bit of @mask; the caller keeps n below its weight. */
static unsigned int nth_colour(u64 mask, u64 n)
{
	for (; n; n--)
		mask &= mask - 1;
	return (unsigned int)__builtin_ctzll(mask);
}

u64 colour_page_pa(const struct colour_layout *l, u64 index)
{
	u64 k = colour_weight(l->mask);
	u64 row = l->first_row + index / k;

	return l->pool_base + (row * l->colours + nth_colour(l->mask, index % k)) * COLOUR_PAGE;
}

u64 colour_run_pages(const struct colour_layout *l, u64 index, u64 left)
{
	u64 k = colour_weight(l->mask), n = 1;
	unsigned int c = nth_colour(l->mask, index % k);

	/* Neighbouring colours of the mask within the row; the row's last colour may join the next row's first. */
	while (n < left) {
		u64 next = index + n;
		unsigned int nc = nth_colour(l->mask, next % k);
		bool same_row = next / k == (next - 1) / k;

		if (same_row ? nc != c + 1 : !(c == l->colours - 1 && nc == 0))
			break;
		c = nc;
		n++;
	}
	return n;
}

void colour_format(u64 mask, char *buf, unsigned long size)
{
	unsigned long used = 0;

	buf[0] = '\0';
	for (unsigned int c = 0; c < COLOUR_MAX && used < size; c++) {
		unsigned int end = c;

		if (!(mask & BIT(c)))
			continue;
		while (end + 1 < COLOUR_MAX && (mask & BIT(end + 1)))
			end++;
		if (end == c)
			used += (unsigned long)snprintf(buf + used, size - used, "%s%u", used ? "," : "", c);
		else
			used += (unsigned long)snprintf(buf + used, size - used, "%s%u-%u",
							used ? "," : "", c, end);
		c = end;
	}
}

/*
 * SMMUv3 event records (IHI 0070 7.3) decoded into what core/iommu.c
 * reports: the stream, the fault, the input address and the direction.
 * Table-driven and pure, so the unit tests build it on the host.
 */
#include "smmuv3.h"

/* Event records, 7.3: what each ID means and whether it carries an input address. */
static const struct {
	unsigned int id;
	const char *what;
	bool has_addr;
} event_kinds[] = {
	{ 0x01, "unsupported upstream transaction", true },
	{ 0x02, "stream ID out of range", false },
	{ 0x03, "stream table entry fetch abort", false },
	{ 0x04, "invalid stream table entry", false },
	{ 0x05, "bad ATS translation request", true },
	{ 0x06, "stream disabled", false },
	{ 0x07, "translation forbidden", true },
	{ 0x08, "invalid substream ID", false },
	{ 0x09, "context descriptor fetch abort", false },
	{ 0x0a, "invalid context descriptor", false },
	{ 0x0b, "external abort on table walk", true },
	{ 0x10, "translation fault", true },
	{ 0x11, "address size fault", true },
	{ 0x12, "access flag fault", true },
	{ 0x13, "permission fault", true },
	{ 0x20, "TLB conflict", true },
	{ 0x21, "configuration cache conflict", false },
	{ 0x24, "page request", true },
};

void smmuv3_event_decode(const u64 rec[EVT_WORDS], struct iommu_fault *f)
{
	unsigned int id = EVT_0_ID(rec[0]);

	*f = (struct iommu_fault){ .sid = EVT_0_SID(rec[0]), .what = "unknown event" };
	for (unsigned int i = 0; i < ARRAY_SIZE(event_kinds); i++) {
		if (event_kinds[i].id != id)
			continue;
		f->what = event_kinds[i].what;
		f->has_addr = f->has_dir = event_kinds[i].has_addr;
		f->addr = rec[2];
		f->write = !(rec[1] & EVT_1_RNW);
	}
	if (!f->has_addr)
		f->addr = 0;
}

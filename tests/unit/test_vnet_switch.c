/*
 * A network's switch (hyp/virt/vnet_switch.c): unicast to its member only,
 * broadcast and multicast to every other member, a forged source, an
 * unknown destination and a frame to the sender itself dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <virt/vnet_switch.h>

static const u8 macs[4][CONFIG_MAC_LEN] = {
	{ 0x02, 0, 0, 0, 0, 1 }, { 0x02, 0, 0, 0, 0, 2 }, { 0x02, 0, 0, 0, 0, 3 }, { 0x02, 0, 0, 0, 0, 4 },
};

static u8 frame[ETH_HDR_LEN];

static void make(const u8 *dst, const u8 *src)
{
	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	frame[12] = 0x08; /* IPv4 */
	frame[13] = 0x00;
}

static u32 route(unsigned int count, unsigned int src, enum vswitch_drop *why)
{
	return vswitch_route(macs, count, src, frame, why);
}

static void test_unicast_to_its_member(void **state)
{
	enum vswitch_drop why;

	(void)state;
	make(macs[2], macs[0]);
	assert_int_equal(route(4, 0, &why), 1U << 2);
	assert_int_equal(why, VSWITCH_FORWARD);
	make(macs[0], macs[3]);
	assert_int_equal(route(4, 3, &why), 1U << 0);
}

static void test_broadcast_and_multicast_to_all_others(void **state)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 ipv6_mcast[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	enum vswitch_drop why;

	(void)state;
	make(bcast, macs[1]);
	assert_int_equal(route(4, 1, &why), 0xdU);
	assert_int_equal(why, VSWITCH_FORWARD);
	make(ipv6_mcast, macs[3]);
	assert_int_equal(route(4, 3, &why), 0x7U);
	make(bcast, macs[0]);
	assert_int_equal(route(2, 0, &why), 0x2U); /* a two-member network */
}

static void test_forged_source_dropped(void **state)
{
	static const u8 forged[6] = { 0x02, 0, 0, 0, 0, 9 };
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	enum vswitch_drop why;

	(void)state;
	make(macs[1], forged);
	assert_int_equal(route(4, 0, &why), 0);
	assert_int_equal(why, VSWITCH_DROP_SPOOFED);
	make(bcast, macs[1]); /* member 1's address, sent by member 0 */
	assert_int_equal(route(4, 0, &why), 0);
	assert_int_equal(why, VSWITCH_DROP_SPOOFED);
	make(macs[1], macs[0]);
	assert_int_equal(route(4, 4, &why), 0); /* no such sender */
	assert_int_equal(why, VSWITCH_DROP_SPOOFED);
}

static void test_unknown_and_self_dropped(void **state)
{
	static const u8 stranger[6] = { 0x02, 0, 0, 0, 0, 0x42 };
	enum vswitch_drop why;

	(void)state;
	make(stranger, macs[0]);
	assert_int_equal(route(4, 0, &why), 0);
	assert_int_equal(why, VSWITCH_DROP_UNKNOWN);
	make(macs[3], macs[0]);
	assert_int_equal(route(3, 0, &why), 0); /* member 3 is not in a 3-member network */
	assert_int_equal(why, VSWITCH_DROP_UNKNOWN);
	make(macs[2], macs[2]);
	assert_int_equal(route(4, 2, &why), 0);
	assert_int_equal(why, VSWITCH_DROP_SELF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicast_to_its_member),
		cmocka_unit_test(test_broadcast_and_multicast_to_all_others),
		cmocka_unit_test(test_forged_source_dropped),
		cmocka_unit_test(test_unknown_and_self_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

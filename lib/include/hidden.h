/*
 * Included first in every freestanding object (Makefile): every symbol is
 * local to the static PIE image, so calls and data accesses are direct
 * (bl, adrp+add) instead of going through the GOT.
 */
#pragma GCC visibility push(hidden)

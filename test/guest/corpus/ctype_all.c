/* <ctype.h> classification and tolower/toupper for all 256 bytes and EOF in the C locale. */
#include <stdio.h>
#include <ctype.h>
#include <stdint.h>

int main(void) {
    uint32_t h = 0;
    int counts[12] = {0};
    for (int c = -1; c < 256; c++) {
        int f[12] = { isalnum(c) != 0, isalpha(c) != 0, iscntrl(c) != 0, isdigit(c) != 0, isgraph(c) != 0,
                      islower(c) != 0, isprint(c) != 0, ispunct(c) != 0, isspace(c) != 0, isupper(c) != 0,
                      isxdigit(c) != 0, isblank(c) != 0 };
        int bits = 0;
        for (int k = 0; k < 12; k++) { bits |= f[k] << k; counts[k] += f[k]; }
        int lo = tolower(c), up = toupper(c);
        printf("%3d %c %03x lo=%d up=%d ascii=%d\n", c, c >= 32 && c < 127 ? c : '.', bits, lo, up, isascii(c) != 0);
        h = h * 31 + (uint32_t)bits * 7 + (uint32_t)lo * 3 + (uint32_t)up;
    }
    static const char *names[12] = { "alnum", "alpha", "cntrl", "digit", "graph", "lower", "print", "punct", "space",
                                     "upper", "xdigit", "blank" };
    for (int k = 0; k < 12; k++) printf("%s=%d\n", names[k], counts[k]);
    printf("hash %08x\n", h);
    return counts[7];
}

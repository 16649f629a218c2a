/* Matrix multiply in double and float (naive, transposed and blocked loop orders), LU
   decomposition with partial pivoting, and exact bit checksums of the results. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <math.h>

#define N 64
static double A[N][N], B[N][N], C1[N][N], C2[N][N], C3[N][N], BT[N][N];
static float FA[N][N], FB[N][N], FC[N][N];

static uint64_t dh(double *m, int n) {
    uint64_t h = 0;
    for (int i = 0; i < n; i++) { uint64_t u; memcpy(&u, &m[i], 8); h = h * 0x100000001b3ULL ^ u; }
    return h;
}

int main(void) {
    uint32_t s = 99;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s = s * 1664525u + 1013904223u; A[i][j] = (double)(s >> 8) / 16777216.0 - 0.5;
            s = s * 1664525u + 1013904223u; B[i][j] = (double)(s >> 8) / 4194304.0 - 2.0;
            FA[i][j] = (float)A[i][j]; FB[i][j] = (float)B[i][j];
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double acc = 0;
            for (int k = 0; k < N; k++) acc += A[i][k] * B[k][j];
            C1[i][j] = acc;
            BT[j][i] = B[i][j];
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double acc = 0;
            for (int k = 0; k < N; k++) acc += A[i][k] * BT[j][k];
            C2[i][j] = acc;
        }
    memset(C3, 0, sizeof C3);
    for (int ii = 0; ii < N; ii += 16)
        for (int kk = 0; kk < N; kk += 16)
            for (int i = ii; i < ii + 16; i++)
                for (int k = kk; k < kk + 16; k++) {
                    double a = A[i][k];
                    for (int j = 0; j < N; j++) C3[i][j] += a * B[k][j];
                }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            float acc = 0;
            for (int k = 0; k < N; k++) acc += FA[i][k] * FB[k][j];
            FC[i][j] = acc;
        }
    printf("C1 hash %016llx C2 hash %016llx same=%d\n", (unsigned long long)dh(&C1[0][0], N * N),
           (unsigned long long)dh(&C2[0][0], N * N), memcmp(C1, C2, sizeof C1) == 0);
    double maxdiff = 0, fdiff = 0, tr = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            maxdiff = fmax(maxdiff, fabs(C1[i][j] - C3[i][j]));
            fdiff = fmax(fdiff, fabs(C1[i][j] - FC[i][j]));
            if (i == j) tr += C1[i][j];
        }
    printf("C3 hash %016llx maxdiff=%a float maxdiff=%.9e trace=%.17g\n", (unsigned long long)dh(&C3[0][0], N * N), maxdiff, fdiff, tr);
    for (int i = 0; i < N; i += 9) printf("row %d: %.17g %.17g %a %a\n", i, C1[i][0], C1[i][N - 1], C3[i][i], (double)FC[i][i]);
    /* LU with partial pivoting; determinant */
    static double L[N][N];
    memcpy(L, A, sizeof L);
    double det = 1;
    for (int k = 0; k < N; k++) {
        int p = k;
        for (int i = k + 1; i < N; i++) if (fabs(L[i][k]) > fabs(L[p][k])) p = i;
        if (p != k) { for (int j = 0; j < N; j++) { double t = L[k][j]; L[k][j] = L[p][j]; L[p][j] = t; } det = -det; }
        det *= L[k][k];
        for (int i = k + 1; i < N; i++) {
            double f = L[i][k] / L[k][k];
            L[i][k] = f;
            for (int j = k + 1; j < N; j++) L[i][j] -= f * L[k][j];
        }
    }
    printf("LU hash %016llx det=%.17g\n", (unsigned long long)dh(&L[0][0], N * N), det);
    return (int)(dh(&C1[0][0], N * N) % 127);
}

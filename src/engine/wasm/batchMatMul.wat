;; Strata's batched matrix product for tfjs-backend-wasm (f32, WebAssembly SIMD128).
;; It imports the backend's own memory, so tensors are read and written where they lie.
;; Assembled by scripts/assemble-wasm.mjs into batchMatMulBytes.ts (also a shared-memory variant
;; for the threaded build). B is packed into `scratch` a panel at a time: up to $KC rows of k by
;; up to $NC columns (rounded up to 4, zero padded), in strips of 8 columns, so the panel stays
;; in cache while every row of A passes over it (a whole 2176-row B did not). Tiles of four rows
;; of C by 8 columns use each loaded vector of B four times; later k panels add to what the
;; earlier ones stored.
(module
  (import "env" "memory" (memory 1 65536))
  (global $KC i32 (i32.const 256))
  (global $NC i32 (i32.const 256))

  ;; Bytes of scratch a [.., k, n] right-hand side needs: four rows of A, then one packed panel.
  (func (export "scratchBytes") (param $k i32) (param $n i32) (result i32)
    (local $np i32)
    (local.set $np (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)))
    (if (i32.gt_u (local.get $k) (global.get $KC)) (then (local.set $k (global.get $KC))))
    (if (i32.gt_u (local.get $np) (global.get $NC)) (then (local.set $np (global.get $NC))))
    (i32.shl (i32.mul (local.get $k) (i32.add (local.get $np) (i32.const 4))) (i32.const 2)))

  ;; B[kk, j] (at src + (kk*ks + j*ns)*4) for kk < k, j < n, packed in strips of 8 columns (the
  ;; last of 4 when np, n rounded up to 4, is not a multiple of 8), each strip k rows one after
  ;; the other, zero past n: a tile then reads its strip in order. Strided rows of one wide
  ;; panel fell on a few cache sets (rows 512 bytes apart).
  (func $pack (param $src i32) (param $dst i32) (param $k i32) (param $n i32) (param $np i32)
    (param $ks i32) (param $ns i32)
    (local $j0 i32) (local $w i32) (local $wn i32) (local $kk i32) (local $j i32) (local $p i32)
    (local $nsb i32)
    (local.set $nsb (i32.shl (local.get $ns) (i32.const 2)))
    (loop $strips
      (local.set $w (i32.sub (local.get $np) (local.get $j0)))
      (if (i32.gt_u (local.get $w) (i32.const 8)) (then (local.set $w (i32.const 8))))
      (local.set $wn (i32.sub (local.get $n) (local.get $j0))) ;; >= 1: np - n < 4 <= np - j0
      (if (i32.gt_u (local.get $wn) (local.get $w)) (then (local.set $wn (local.get $w))))
      (local.set $kk (i32.const 0))
      (loop $rows
        (local.set $p (i32.add (local.get $src) (i32.shl (i32.add
          (i32.mul (local.get $kk) (local.get $ks)) (i32.mul (local.get $j0) (local.get $ns)))
          (i32.const 2))))
        (if (i32.and (i32.eq (local.get $wn) (i32.const 8)) (i32.eq (local.get $ns) (i32.const 1)))
          (then
            (v128.store (local.get $dst) (v128.load (local.get $p)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $p))))
          (else
            (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
            (if (i32.eq (local.get $w) (i32.const 8))
              (then (v128.store offset=16 (local.get $dst) (v128.const i32x4 0 0 0 0))))
            (local.set $j (i32.const 0))
            (loop $cols
              (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
                (f32.load (local.get $p)))
              (local.set $p (i32.add (local.get $p) (local.get $nsb)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $cols (i32.lt_u (local.get $j) (local.get $wn))))))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $w) (i32.const 2))))
        (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
        (br_if $rows (i32.lt_u (local.get $kk) (local.get $k))))
      (local.set $j0 (i32.add (local.get $j0) (local.get $w)))
      (br_if $strips (i32.lt_u (local.get $j0) (local.get $np)))))

  ;; Writes the first min(left, 4) lanes of v at p (none when left <= 0); with acc, adds them to
  ;; what p holds. Lanes past `left` are never touched: they may lie past the output's end.
  (func $put (param $p i32) (param $v v128) (param $left i32) (param $acc i32)
    (if (i32.ge_s (local.get $left) (i32.const 4))
      (then
        (if (local.get $acc)
          (then (local.set $v (f32x4.add (local.get $v) (v128.load (local.get $p))))))
        (v128.store (local.get $p) (local.get $v))
        (return)))
    (if (i32.le_s (local.get $left) (i32.const 0)) (then (return)))
    (if (local.get $acc)
      (then
        (local.set $v (f32x4.add (local.get $v) (f32x4.replace_lane 0 (v128.const i32x4 0 0 0 0)
          (f32.load (local.get $p)))))
        (if (i32.ge_s (local.get $left) (i32.const 2))
          (then (local.set $v (f32x4.add (local.get $v) (f32x4.replace_lane 1
            (v128.const i32x4 0 0 0 0) (f32.load offset=4 (local.get $p)))))))
        (if (i32.ge_s (local.get $left) (i32.const 3))
          (then (local.set $v (f32x4.add (local.get $v) (f32x4.replace_lane 2
            (v128.const i32x4 0 0 0 0) (f32.load offset=8 (local.get $p)))))))))
    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.ge_s (local.get $left) (i32.const 2))
      (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.ge_s (local.get $left) (i32.const 3))
      (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $v))))))

  ;; The tiles: C[r, j..] (+)= sum over kk < kc of A[r, kk] * P[kk, j..] for the tile's rows r.
  ;; ap: A[first row, 0]; rowB, colB: A's row and column strides in bytes; bp: P[0, j];
  ;; npb: a row of P in bytes; op: C[first row, j]; outRowB: a row of C in bytes; left: columns
  ;; of C from j on; acc: add to C (a later k panel) rather than store. kc >= 1.

  ;; Four rows by 8 columns: 8 accumulators, each loaded vector of P used four times.
  (func $tile4x8 (param $ap i32) (param $rowB i32) (param $colB i32) (param $bp i32)
    (param $npb i32) (param $kc i32) (param $op i32) (param $outRowB i32) (param $left i32)
    (param $acc i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 v128) (local $b1 v128)
    (local $s v128) (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a1 (i32.add (local.get $ap) (local.get $rowB)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $rowB)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $rowB)))
    (loop $k
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $s (v128.load32_splat (local.get $ap)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat (local.get $a2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat (local.get $a3)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $ap (i32.add (local.get $ap) (local.get $colB)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $colB)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $colB)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $colB)))
      (local.set $bp (i32.add (local.get $bp) (local.get $npb)))
      (local.set $kc (i32.sub (local.get $kc) (i32.const 1)))
      (br_if $k (local.get $kc)))
    (if (i32.and (i32.ge_s (local.get $left) (i32.const 8)) (i32.eqz (local.get $acc)))
      (then ;; the common case, without $put's calls
        (v128.store (local.get $op) (local.get $c00))
        (v128.store offset=16 (local.get $op) (local.get $c01))
        (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
        (v128.store (local.get $op) (local.get $c10))
        (v128.store offset=16 (local.get $op) (local.get $c11))
        (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
        (v128.store (local.get $op) (local.get $c20))
        (v128.store offset=16 (local.get $op) (local.get $c21))
        (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
        (v128.store (local.get $op) (local.get $c30))
        (v128.store offset=16 (local.get $op) (local.get $c31))
        (return)))
    (call $put (local.get $op) (local.get $c00) (local.get $left) (local.get $acc))
    (call $put (i32.add (local.get $op) (i32.const 16)) (local.get $c01)
      (i32.sub (local.get $left) (i32.const 4)) (local.get $acc))
    (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
    (call $put (local.get $op) (local.get $c10) (local.get $left) (local.get $acc))
    (call $put (i32.add (local.get $op) (i32.const 16)) (local.get $c11)
      (i32.sub (local.get $left) (i32.const 4)) (local.get $acc))
    (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
    (call $put (local.get $op) (local.get $c20) (local.get $left) (local.get $acc))
    (call $put (i32.add (local.get $op) (i32.const 16)) (local.get $c21)
      (i32.sub (local.get $left) (i32.const 4)) (local.get $acc))
    (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
    (call $put (local.get $op) (local.get $c30) (local.get $left) (local.get $acc))
    (call $put (i32.add (local.get $op) (i32.const 16)) (local.get $c31)
      (i32.sub (local.get $left) (i32.const 4)) (local.get $acc)))

  ;; Four rows by 4 columns (a panel's last strip, when np is 4 more than a multiple of 8).
  (func $tile4x4 (param $ap i32) (param $rowB i32) (param $colB i32) (param $bp i32)
    (param $npb i32) (param $kc i32) (param $op i32) (param $outRowB i32) (param $left i32)
    (param $acc i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $a1 (i32.add (local.get $ap) (local.get $rowB)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $rowB)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $rowB)))
    (loop $k
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $c0 (f32x4.add (local.get $c0)
        (f32x4.mul (v128.load32_splat (local.get $ap)) (local.get $b0))))
      (local.set $c1 (f32x4.add (local.get $c1)
        (f32x4.mul (v128.load32_splat (local.get $a1)) (local.get $b0))))
      (local.set $c2 (f32x4.add (local.get $c2)
        (f32x4.mul (v128.load32_splat (local.get $a2)) (local.get $b0))))
      (local.set $c3 (f32x4.add (local.get $c3)
        (f32x4.mul (v128.load32_splat (local.get $a3)) (local.get $b0))))
      (local.set $ap (i32.add (local.get $ap) (local.get $colB)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $colB)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $colB)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $colB)))
      (local.set $bp (i32.add (local.get $bp) (local.get $npb)))
      (local.set $kc (i32.sub (local.get $kc) (i32.const 1)))
      (br_if $k (local.get $kc)))
    (call $put (local.get $op) (local.get $c0) (local.get $left) (local.get $acc))
    (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
    (call $put (local.get $op) (local.get $c1) (local.get $left) (local.get $acc))
    (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
    (call $put (local.get $op) (local.get $c2) (local.get $left) (local.get $acc))
    (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
    (call $put (local.get $op) (local.get $c3) (local.get $left) (local.get $acc)))

;; One row by 8 columns (the rows past the last multiple of 4).
  (func $tile1x8 (param $ap i32) (param $colB i32) (param $bp i32) (param $npb i32)
    (param $kc i32) (param $op i32) (param $left i32) (param $acc i32)
    (local $s v128) (local $c0 v128) (local $c1 v128)
    (loop $k
      (local.set $s (v128.load32_splat (local.get $ap)))
      (local.set $c0
        (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $bp)))))
      (local.set $c1 (f32x4.add (local.get $c1)
        (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bp)))))
      (local.set $ap (i32.add (local.get $ap) (local.get $colB)))
      (local.set $bp (i32.add (local.get $bp) (local.get $npb)))
      (local.set $kc (i32.sub (local.get $kc) (i32.const 1)))
      (br_if $k (local.get $kc)))
    (call $put (local.get $op) (local.get $c0) (local.get $left) (local.get $acc))
    (call $put (i32.add (local.get $op) (i32.const 16)) (local.get $c1)
      (i32.sub (local.get $left) (i32.const 4)) (local.get $acc)))

  ;; One row by 4 columns.
  (func $tile1x4 (param $ap i32) (param $colB i32) (param $bp i32) (param $npb i32)
    (param $kc i32) (param $op i32) (param $left i32) (param $acc i32)
    (local $c0 v128)
    (loop $k
      (local.set $c0 (f32x4.add (local.get $c0)
        (f32x4.mul (v128.load32_splat (local.get $ap)) (v128.load (local.get $bp)))))
      (local.set $ap (i32.add (local.get $ap) (local.get $colB)))
      (local.set $bp (i32.add (local.get $bp) (local.get $npb)))
      (local.set $kc (i32.sub (local.get $kc) (i32.const 1)))
      (br_if $k (local.get $kc)))
    (call $put (local.get $op) (local.get $c0) (local.get $left) (local.get $acc)))

  ;; C[i, j] (+)= sum over kk < kc of A[i, kk] * P[kk, j] for i < m, j < nc: one panel P as
  ;; $pack lays it out (columns j.. start at bp + kc*j*4, a row of their strip 32 bytes, or 16 for
  ;; a last strip of 4) against every row of A. Byte strides as in the tiles. Where A's rows lie
  ;; side by side (transposed A), each four rows' kc columns are first copied in order to aq
  ;; (kc*16 bytes): read in place, kc rows hundreds of bytes apart fell on a few cache sets.
  (func $panel (param $ap i32) (param $rowB i32) (param $colB i32) (param $bp i32)
    (param $kc i32) (param $m i32) (param $nc i32) (param $op i32) (param $outRowB i32)
    (param $acc i32) (param $aq i32)
    (local $np i32) (local $i i32) (local $j i32) (local $sb i32) (local $jo i32)
    (local $qa i32) (local $qr i32) (local $qc i32) (local $p i32) (local $d i32) (local $kk i32)
    (local.set $np (i32.and (i32.add (local.get $nc) (i32.const 3)) (i32.const -4)))
    (local.set $qa (local.get $aq))
    (local.set $qr (i32.const 4))
    (local.set $qc (i32.const 16))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (if (i32.eq (local.get $rowB) (i32.const 4))
          (then
            (local.set $p (local.get $ap))
            (local.set $d (local.get $aq))
            (local.set $kk (local.get $kc))
            (loop $copy
              (v128.store (local.get $d) (v128.load (local.get $p)))
              (local.set $p (i32.add (local.get $p) (local.get $colB)))
              (local.set $d (i32.add (local.get $d) (i32.const 16)))
              (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
              (br_if $copy (local.get $kk))))
          (else
            (local.set $qa (local.get $ap))
            (local.set $qr (local.get $rowB))
            (local.set $qc (local.get $colB))))
        (local.set $j (i32.const 0))
        (block $wideDone
          (loop $wide
            (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $np)))
            (call $tile4x8 (local.get $qa) (local.get $qr) (local.get $qc)
              (i32.add (local.get $bp)
                (i32.shl (i32.mul (local.get $kc) (local.get $j)) (i32.const 2)))
              (i32.const 32) (local.get $kc)
              (i32.add (local.get $op) (i32.shl (local.get $j) (i32.const 2)))
              (local.get $outRowB) (i32.sub (local.get $nc) (local.get $j)) (local.get $acc))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $wide)))
        (if (i32.lt_u (local.get $j) (local.get $np))
          (then
            (call $tile4x4 (local.get $qa) (local.get $qr) (local.get $qc)
              (i32.add (local.get $bp)
                (i32.shl (i32.mul (local.get $kc) (local.get $j)) (i32.const 2)))
              (i32.const 16) (local.get $kc)
              (i32.add (local.get $op) (i32.shl (local.get $j) (i32.const 2)))
              (local.get $outRowB) (i32.sub (local.get $nc) (local.get $j)) (local.get $acc))))
        (local.set $ap (i32.add (local.get $ap) (i32.shl (local.get $rowB) (i32.const 2))))
        (local.set $op (i32.add (local.get $op) (i32.shl (local.get $outRowB) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quads)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $stripsDone
          (loop $strips
            (br_if $stripsDone (i32.ge_u (local.get $j) (local.get $np)))
            (local.set $sb (i32.add (local.get $bp)
              (i32.shl (i32.mul (local.get $kc) (local.get $j)) (i32.const 2))))
            (local.set $jo (i32.add (local.get $op) (i32.shl (local.get $j) (i32.const 2))))
            (if (i32.le_u (i32.add (local.get $j) (i32.const 8)) (local.get $np))
              (then
                (call $tile1x8 (local.get $ap) (local.get $colB) (local.get $sb) (i32.const 32)
                  (local.get $kc) (local.get $jo) (i32.sub (local.get $nc) (local.get $j))
                  (local.get $acc)))
              (else
                (call $tile1x4 (local.get $ap) (local.get $colB) (local.get $sb) (i32.const 16)
                  (local.get $kc) (local.get $jo) (i32.sub (local.get $nc) (local.get $j))
                  (local.get $acc))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $strips)))
        (local.set $ap (i32.add (local.get $ap) (local.get $rowB)))
        (local.set $op (i32.add (local.get $op) (local.get $outRowB)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out[t, i, j] = sum over kk of A[t, i, kk] * B[t, kk, j], for t < batch, i < m, j < n.
  ;; Pointers are byte offsets; strides count elements. A[t, i, kk] lies at
  ;; a + (t*aBatch + i*aRow + kk*aCol)*4 and B[t, kk, j] at b + (t*bBatch + kk*bK + j*bN)*4;
  ;; a batch stride of 0 broadcasts. out is dense [batch, m, n]; scratch holds scratchBytes(k, n).
  ;; Panels outside, batch inside: a broadcast B's panel is packed once for the whole batch.
  (func (export "batchMatMul")
    (param $a i32) (param $b i32) (param $out i32) (param $scratch i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (param $aBatch i32) (param $aRow i32) (param $aCol i32)
    (param $bBatch i32) (param $bK i32) (param $bN i32)
    (local $k0 i32) (local $kc i32) (local $j0 i32) (local $nc i32) (local $t i32)
    (local $packed i32)
    (if (i32.eqz (local.get $batch)) (then (return)))
    (local.set $kc (local.get $k))
    (if (i32.gt_u (local.get $kc) (global.get $KC)) (then (local.set $kc (global.get $KC))))
    (local.set $packed (i32.add (local.get $scratch) (i32.shl (local.get $kc) (i32.const 4))))
    (loop $kPanels
      (local.set $kc (i32.sub (local.get $k) (local.get $k0)))
      (if (i32.gt_u (local.get $kc) (global.get $KC)) (then (local.set $kc (global.get $KC))))
      (local.set $j0 (i32.const 0))
      (loop $nPanels
        (local.set $nc (i32.sub (local.get $n) (local.get $j0)))
        (if (i32.gt_u (local.get $nc) (global.get $NC)) (then (local.set $nc (global.get $NC))))
        (local.set $t (i32.const 0))
        (loop $items
          (if (i32.or (i32.eqz (local.get $t)) (i32.ne (local.get $bBatch) (i32.const 0)))
            (then
              (call $pack
                (i32.add (local.get $b) (i32.shl (i32.add (i32.add
                  (i32.mul (local.get $t) (local.get $bBatch))
                  (i32.mul (local.get $k0) (local.get $bK)))
                  (i32.mul (local.get $j0) (local.get $bN))) (i32.const 2)))
                (local.get $packed) (local.get $kc) (local.get $nc)
                (i32.and (i32.add (local.get $nc) (i32.const 3)) (i32.const -4))
                (local.get $bK) (local.get $bN))))
          (call $panel
            (i32.add (local.get $a) (i32.shl (i32.add
              (i32.mul (local.get $t) (local.get $aBatch))
              (i32.mul (local.get $k0) (local.get $aCol))) (i32.const 2)))
            (i32.shl (local.get $aRow) (i32.const 2)) (i32.shl (local.get $aCol) (i32.const 2))
            (local.get $packed) (local.get $kc) (local.get $m) (local.get $nc)
            (i32.add (local.get $out) (i32.shl (i32.add
              (i32.mul (i32.mul (local.get $t) (local.get $m)) (local.get $n))
              (local.get $j0)) (i32.const 2)))
            (i32.shl (local.get $n) (i32.const 2)) (local.get $k0) (local.get $scratch))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $items (i32.lt_u (local.get $t) (local.get $batch))))
        (local.set $j0 (i32.add (local.get $j0) (local.get $nc)))
        (br_if $nPanels (i32.lt_u (local.get $j0) (local.get $n))))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
      (br_if $kPanels (i32.lt_u (local.get $k0) (local.get $k))))))

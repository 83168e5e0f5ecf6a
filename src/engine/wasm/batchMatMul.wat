;; Strata's batched matrix product for tfjs-backend-wasm (f32, WebAssembly SIMD128).
;; It imports the backend's own memory, so tensors are read and written where they lie.
;; Assembled by scripts/assemble-wasm.mjs into batchMatMulBytes.ts (also a shared-memory variant
;; for the threaded build). Per batch item: B is packed into `scratch` as k rows of np = n rounded
;; up to 4 floats (zero padded), then each output row is accumulated 16 columns at a time.
(module
  (import "env" "memory" (memory 1 65536))

  ;; dst[kk*np + j] = B[kk, j] for j < n (B[kk, j] at src + (kk*ks + j*ns)*4), 0 for n <= j < np.
  (func $pack (param $src i32) (param $dst i32) (param $k i32) (param $n i32) (param $np i32)
    (param $ks i32) (param $ns i32)
    (local $kk i32) (local $j i32) (local $p i32) (local $nsb i32)
    (local.set $nsb (i32.shl (local.get $ns) (i32.const 2)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $kk) (local.get $k)))
        (local.set $p
          (i32.add (local.get $src) (i32.shl (i32.mul (local.get $kk) (local.get $ks)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $n)))
            (f32.store (local.get $dst) (f32.load (local.get $p)))
            (local.set $p (i32.add (local.get $p) (local.get $nsb)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (block $padDone
          (loop $pad
            (br_if $padDone (i32.ge_u (local.get $j) (local.get $np)))
            (f32.store (local.get $dst) (f32.const 0))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $pad)))
        (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
        (br $rows))))

  ;; Stores the first min(left, 4) lanes of v at p (none when left <= 0).
  (func $store (param $p i32) (param $v v128) (param $left i32)
    (if (i32.ge_s (local.get $left) (i32.const 4))
      (then (v128.store (local.get $p) (local.get $v)) (return)))
    (if (i32.le_s (local.get $left) (i32.const 0)) (then (return)))
    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.ge_s (local.get $left) (i32.const 2))
      (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.ge_s (local.get $left) (i32.const 3))
      (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $v))))))

  ;; out[t, i, j] = sum over kk of A[t, i, kk] * B[t, kk, j], for t < batch, i < m, j < n.
  ;; Pointers are byte offsets; strides count elements. A[t, i, kk] lies at
  ;; a + (t*aBatch + i*aRow + kk*aCol)*4 and B[t, kk, j] at b + (t*bBatch + kk*bK + j*bN)*4;
  ;; a batch stride of 0 broadcasts. out is dense [batch, m, n]; scratch holds k*np floats.
  (func (export "batchMatMul")
    (param $a i32) (param $b i32) (param $out i32) (param $scratch i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (param $aBatch i32) (param $aRow i32) (param $aCol i32)
    (param $bBatch i32) (param $bK i32) (param $bN i32)
    (local $np i32) (local $npb i32) (local $t i32) (local $i i32) (local $j i32) (local $kk i32)
    (local $aBase i32) (local $aRowP i32) (local $ap i32) (local $bp i32) (local $oRow i32)
    (local $colStep i32) (local $left i32)
    (local $s v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $np (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)))
    (local.set $npb (i32.shl (local.get $np) (i32.const 2)))
    (local.set $colStep (i32.shl (local.get $aCol) (i32.const 2)))
    (block $batchDone
      (loop $batchLoop
        (br_if $batchDone (i32.ge_u (local.get $t) (local.get $batch)))
        (if (i32.or (i32.eqz (local.get $t)) (i32.ne (local.get $bBatch) (i32.const 0)))
          (then
            (call $pack
              (i32.add (local.get $b)
                (i32.shl (i32.mul (local.get $t) (local.get $bBatch)) (i32.const 2)))
              (local.get $scratch) (local.get $k) (local.get $n) (local.get $np)
              (local.get $bK) (local.get $bN))))
        (local.set $aBase
          (i32.add (local.get $a) (i32.shl (i32.mul (local.get $t) (local.get $aBatch)) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
            (local.set $aRowP
              (i32.add (local.get $aBase)
                (i32.shl (i32.mul (local.get $i) (local.get $aRow)) (i32.const 2))))
            (local.set $j (i32.const 0))
            ;; 16 columns at a time: four accumulators.
            (block $wideDone
              (loop $wide
                (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $np)))
                (local.set $c0 (v128.const i32x4 0 0 0 0))
                (local.set $c1 (v128.const i32x4 0 0 0 0))
                (local.set $c2 (v128.const i32x4 0 0 0 0))
                (local.set $c3 (v128.const i32x4 0 0 0 0))
                (local.set $ap (local.get $aRowP))
                (local.set $bp (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $kk (i32.const 0))
                (block $kDone
                  (loop $kLoop
                    (br_if $kDone (i32.ge_u (local.get $kk) (local.get $k)))
                    (local.set $s (f32x4.splat (f32.load (local.get $ap))))
                    (local.set $c0
                      (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $bp)))))
                    (local.set $c1
                      (f32x4.add (local.get $c1)
                        (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bp)))))
                    (local.set $c2
                      (f32x4.add (local.get $c2)
                        (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $bp)))))
                    (local.set $c3
                      (f32x4.add (local.get $c3)
                        (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $bp)))))
                    (local.set $ap (i32.add (local.get $ap) (local.get $colStep)))
                    (local.set $bp (i32.add (local.get $bp) (local.get $npb)))
                    (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
                    (br $kLoop)))
                (local.set $oRow
                  (i32.add (local.get $out)
                    (i32.shl
                      (i32.add (i32.mul (i32.add (i32.mul (local.get $t) (local.get $m)) (local.get $i))
                        (local.get $n)) (local.get $j))
                      (i32.const 2))))
                (local.set $left (i32.sub (local.get $n) (local.get $j)))
                (call $store (local.get $oRow) (local.get $c0) (local.get $left))
                (call $store (i32.add (local.get $oRow) (i32.const 16)) (local.get $c1)
                  (i32.sub (local.get $left) (i32.const 4)))
                (call $store (i32.add (local.get $oRow) (i32.const 32)) (local.get $c2)
                  (i32.sub (local.get $left) (i32.const 8)))
                (call $store (i32.add (local.get $oRow) (i32.const 48)) (local.get $c3)
                  (i32.sub (local.get $left) (i32.const 12)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $wide)))
            ;; The rest, 4 columns at a time.
            (block $narrowDone
              (loop $narrow
                (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $np)))
                (local.set $c0 (v128.const i32x4 0 0 0 0))
                (local.set $ap (local.get $aRowP))
                (local.set $bp (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $kk (i32.const 0))
                (block $kDone1
                  (loop $kLoop1
                    (br_if $kDone1 (i32.ge_u (local.get $kk) (local.get $k)))
                    (local.set $c0
                      (f32x4.add (local.get $c0)
                        (f32x4.mul (f32x4.splat (f32.load (local.get $ap))) (v128.load (local.get $bp)))))
                    (local.set $ap (i32.add (local.get $ap) (local.get $colStep)))
                    (local.set $bp (i32.add (local.get $bp) (local.get $npb)))
                    (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
                    (br $kLoop1)))
                (call $store
                  (i32.add (local.get $out)
                    (i32.shl
                      (i32.add (i32.mul (i32.add (i32.mul (local.get $t) (local.get $m)) (local.get $i))
                        (local.get $n)) (local.get $j))
                      (i32.const 2)))
                  (local.get $c0) (i32.sub (local.get $n) (local.get $j)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $narrow)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $batchLoop)))))

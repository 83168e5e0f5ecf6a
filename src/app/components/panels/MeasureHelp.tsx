/** What each similarity measure computes: one sentence and its formula (X, Y centred, N × D). */
export function MeasureHelp() {
  return (
    <details className="numbers measure-help">
      <summary>The measures</summary>
      <dl>
        <dt>Cosine similarity</dt>
        <dd>
          Each sample's cosine between two layers, averaged: (1/N) Σ<sub>i</sub> ⟨x<sub>i</sub>, y
          <sub>i</sub>⟩ / (‖x<sub>i</sub>‖ ‖y<sub>i</sub>‖); needs equal widths.
        </dd>
        <dt>Linear CKA</dt>
        <dd>
          Compares whole representations through their Gram matrices: ‖YᵀX‖²<sub>F</sub> / (‖XᵀX‖
          <sub>F</sub> ‖YᵀY‖<sub>F</sub>) (Kornblith et al. 2019).
        </dd>
        <dt>Debiased CKA</dt>
        <dd>
          The same ratio from the unbiased HSIC estimator (Song et al. 2012); needs N ≥ 4 and can be
          negative.
        </dd>
        <dt>Minibatch CKA</dt>
        <dd>
          The three unbiased HSIC terms averaged separately over batches of rows, then the ratio
          (Nguyen, Raghu &amp; Kornblith 2021).
        </dd>
        <dt>RBF CKA</dt>
        <dd>CKA of Gaussian kernels, σ = t · the median distance between samples (t = 0.5).</dd>
        <dt>Procrustes similarity</dt>
        <dd>
          How well one layer matches the other after the best rotation: ‖XᵀY‖<sub>*</sub> (nuclear
          norm) with ‖X‖<sub>F</sub> = ‖Y‖<sub>F</sub> = 1; 1 means equal up to a rotation (Williams
          et al. 2021).
        </dd>
        <dt>SVCCA</dt>
        <dd>
          Each layer reduced to its top-k principal directions (99 % of the variance), then the mean
          of the min(k<sub>X</sub>, k<sub>Y</sub>) canonical correlations, the singular values of Q
          <sub>X</sub>ᵀQ<sub>Y</sub> (Raghu et al. 2017).
        </dd>
        <dt>Mutual k-NN</dt>
        <dd>
          Whether the two layers give each sample the same neighbours: (1/N) Σ<sub>i</sub> |N
          <sub>k</sub>
          <sup>X</sup>(i) ∩ N<sub>k</sub>
          <sup>Y</sup>(i)| / k, k = 10 nearest by cosine (Huh et al. 2024).
        </dd>
      </dl>
      <p>
        Agreement with cosine: Pearson r and Spearman&apos;s rank correlation ρ between cosine and
        another measure over the layer pairs l &lt; m (the paper&apos;s first claim: the cheap
        cosine ranks the pairs as the costlier measures do).
      </p>
      <p>
        Across A and B, row l and column j compare layer l of A with layer j of B on the same
        samples; every measure but cosine allows different widths.
      </p>
    </details>
  );
}

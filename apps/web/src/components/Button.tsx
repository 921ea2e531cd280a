// The phone pages' button, plain HTML and CSS with antd's look and the same few props they used
// (type, size, block, danger, loading, href): antd's Button brought its whole theme and style engine
// to pages that need nothing else of antd. Sizes follow the age-friendly rules in styles.css:
// at least 48 px high (60 px in elder mode), text 16 px (18 px).
import type { ButtonHTMLAttributes, ReactNode } from 'react';

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  type?: 'primary' | 'default' | 'text' | 'link';
  size?: 'small' | 'middle' | 'large';
  block?: boolean;
  danger?: boolean;
  loading?: boolean;
  /** Makes it a link that looks like a button. */
  href?: string;
  /** With href: the link saves what it points to (a file name, or true for the server's). */
  download?: boolean | string;
  htmlType?: 'button' | 'submit' | 'reset';
  children?: ReactNode;
};

export function Button({
  type = 'default',
  size = 'middle',
  block,
  danger,
  loading,
  href,
  download,
  htmlType = 'button',
  className,
  disabled,
  children,
  ...rest
}: Props) {
  const classes = [
    'btn',
    `btn-${type}`,
    size === 'large' && 'btn-large',
    block && 'btn-block',
    danger && 'btn-danger',
    loading && 'btn-loading',
    className,
  ]
    .filter(Boolean)
    .join(' ');
  const content = (
    <>
      {loading && <span className="btn-spinner" aria-hidden="true" />}
      {children}
    </>
  );
  if (href !== undefined) {
    return (
      <a className={classes} href={href} download={download} aria-disabled={disabled || undefined} {...(rest as object)}>
        {content}
      </a>
    );
  }
  return (
    // biome-ignore lint/a11y/useButtonType: the type is the htmlType prop, "button" unless given
    <button type={htmlType} className={classes} disabled={disabled || loading} aria-busy={loading || undefined} {...rest}>
      {content}
    </button>
  );
}
